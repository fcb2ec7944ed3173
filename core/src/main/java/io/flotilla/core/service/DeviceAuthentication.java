package io.flotilla.core.service;

import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.ca.DeviceCertificate;
import io.flotilla.core.device.Certificates;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceCredential;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.event.InProcessDomainEvents;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;

/**
 * Decides whether a device may connect: by the token it presents with its id, or by the
 * certificate it presented in the TLS handshake. Used by every device door (MQTT, HTTP).
 */
public final class DeviceAuthentication {
  private final RegistryStore store;
  private final Clock clock;
  private final JustInTimeRegistration registration;
  private final RotationCompletion rotations;

  /** Without an event stream: completed certificate rotations close no live connection. */
  public DeviceAuthentication(RegistryStore store, Clock clock) {
    this(store, clock, new InProcessDomainEvents());
  }

  public DeviceAuthentication(RegistryStore store, Clock clock, DomainEvents events) {
    this.store = store;
    this.clock = clock;
    this.registration = new JustInTimeRegistration(store, clock, this::byCertificateFingerprint, events);
    this.rotations = new RotationCompletion(store, clock, events);
  }

  /** Why a device was refused; adapters map each to their protocol's code. */
  public enum Refusal {
    /** No such credential, or a secret that matches none. */
    BAD_CREDENTIALS,
    /** The credential belongs to another device than the one claimed. */
    WRONG_DEVICE,
    CREDENTIAL_REVOKED,
    CERTIFICATE_EXPIRED,
    DEVICE_SUSPENDED,
    DEVICE_DECOMMISSIONED,
    /** The device was registered just in time and waits for an operator's approval. */
    DEVICE_PENDING,
    /**
     * A registered CA signed the certificate but the device cannot be registered from it: no usable id in it,
     * the id taken by a device with other credentials, the template's profile gone, the CA expired.
     */
    REGISTRATION_REFUSED
  }

  /** The outcome: the device that proved itself, or the refusal. */
  public sealed interface Result {
    /**
     * The device proved itself.
     *
     * @param profile the device's profile as registered at this moment (topic rules may be scoped to it)
     */
    record Accepted(TenantId tenant, DeviceId device, String profile, String credentialId) implements Result {}

    /** The device is refused, for a reason the operator can see (never the secret). */
    record Refused(Refusal refusal, String detail) implements Result {}
  }

  /** Checks a token presented together with the device id it claims. */
  public Result byToken(String claimedDeviceId, String secret) {
    String hash = TokenSecrets.hash(secret);
    return store.read(tx -> tx.credentials().findBySecretHash(hash)
        .map(c -> c.device().value().equals(claimedDeviceId) ? check(tx, c)
            : refused(Refusal.WRONG_DEVICE, "the token belongs to another device than '" + claimedDeviceId + "'"))
        .orElseGet(() -> refused(Refusal.BAD_CREDENTIALS, "no device token matches")));
  }

  /**
   * Checks a client certificate by the SHA-256 fingerprint of its DER encoding. The first accepted use of a
   * certificate issued by a rotation revokes the certificate it replaces.
   */
  public Result byCertificateFingerprint(String fingerprint) {
    Checked checked = store.read(tx -> tx.credentials().findByFingerprint(fingerprint)
        .map(c -> check(tx, c))
        .map(r -> new Checked(r, r instanceof Result.Accepted a ? RotationCompletion.pending(tx, a) : Optional.empty()))
        .orElseGet(() -> new Checked(refused(Refusal.BAD_CREDENTIALS, "no device has the certificate " + fingerprint),
            Optional.empty())));
    checked.rotation().ifPresent(rotations::complete);
    return checked.result();
  }

  private record Checked(Result result, Optional<DeviceCertificate> rotation) {}

  /**
   * Checks a client certificate: a registered one by its fingerprint; an unknown one signed by an active CA a
   * tenant registered is registered now, just in time, in that CA's tenant by its template.
   */
  public Result byCertificate(X509Certificate certificate) {
    String fingerprint = Certificates.fingerprint(certificate);
    Result known = byCertificateFingerprint(fingerprint);
    if (!(known instanceof Result.Refused refused) || refused.refusal() != Refusal.BAD_CREDENTIALS
        || store.read(tx -> tx.credentials().findByFingerprint(fingerprint)).isPresent()) {
      return known;
    }
    return registration.register(certificate, fingerprint).orElseGet(() -> refused(Refusal.BAD_CREDENTIALS,
        "no device has the certificate " + fingerprint + " and no active CA registered by a tenant issued it"));
  }

  private Result check(RegistryTx tx, DeviceCredential c) {
    if (c.isRevoked()) {
      return refused(Refusal.CREDENTIAL_REVOKED, "credential " + c.id() + " of device '" + c.device() + "' is revoked");
    }
    if (c.notAfter().map(t -> !clock.instant().isBefore(t)).orElse(false)) {
      return refused(Refusal.CERTIFICATE_EXPIRED, "the certificate of device '" + c.device() + "' has expired");
    }
    Optional<Device> device = tx.devices().find(c.tenant(), c.device());
    if (device.isEmpty()) {
      return refused(Refusal.BAD_CREDENTIALS, "device '" + c.device() + "' no longer exists");
    }
    DeviceStatus status = device.get().status();
    if (status == DeviceStatus.SUSPENDED) {
      return refused(Refusal.DEVICE_SUSPENDED, "device '" + c.device() + "' is suspended");
    }
    if (status == DeviceStatus.DECOMMISSIONED) {
      return refused(Refusal.DEVICE_DECOMMISSIONED, "device '" + c.device() + "' is decommissioned");
    }
    if (status == DeviceStatus.PENDING) {
      return refused(Refusal.DEVICE_PENDING, "device '" + c.device() + "' is pending approval; an operator approves "
          + "it by setting its status to active");
    }
    return new Result.Accepted(c.tenant(), c.device(), device.get().profile(), c.id());
  }

  private static Result refused(Refusal refusal, String detail) {
    return new Result.Refused(refusal, detail);
  }
}
