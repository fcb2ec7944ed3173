package io.flotilla.core.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.ca.CertificateAuthority;
import io.flotilla.core.ca.CertificatePolicy;
import io.flotilla.core.ca.CertificateRequest;
import io.flotilla.core.ca.CertificateTemplate;
import io.flotilla.core.ca.DeviceCertificate;
import io.flotilla.core.ca.SignedCertificate;
import io.flotilla.core.ca.TenantCa;
import io.flotilla.core.device.Certificates;
import io.flotilla.core.device.CredentialType;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceCredential;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Device certificates issued by the tenant's CA from the device's own certificate signing request: the
 * platform never sees the device's private key. Each certificate is registered as an x509 credential of the
 * device in the same transaction, so the device connects with it at once; revoking it revokes the credential
 * (which closes the device's live connection) and puts its serial on the CA's CRL.
 */
public final class DeviceCertificateService {
  static final Set<String> FIELDS = Set.of("csrPem", "validityDays");

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;
  private final DomainEvents events;
  private final CertificateAuthority authority;
  private final TenantCaService cas;
  private final CertificatePolicy policy;

  public DeviceCertificateService(RegistryStore store, Clock clock, DomainEvents events,
      CertificateAuthority authority, TenantCaService cas, CertificatePolicy policy) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
    this.events = events;
    this.authority = authority;
    this.cas = cas;
    this.policy = policy;
  }

  /**
   * Issues a certificate for the key in the request's CSR. The subject is {@code CN=<device id>} and the
   * validity is the policy's, whatever the CSR asks for.
   */
  public DeviceCertificate issue(Principal principal, String deviceId, ObjectNode body) {
    principal.require(Permission.REGISTRY_WRITE);
    FieldReader r = FieldReader.of(body, FIELDS);
    Optional<String> csrPem = r.string("csrPem");
    if (csrPem.isEmpty() && !r.hasErrorAt("csrPem")) {
      r.error("csrPem", "is required: the device's certificate signing request in PEM (openssl req -new …)");
    }
    Duration validity = validity(r);
    r.throwIfErrors();
    CertificateRequest request = authority.check("csrPem", csrPem.orElseThrow());
    store.read(tx -> issuable(tx, principal, deviceId));
    Signed signed = sign(principal, deviceId, request, validity);
    String id = TokenSecrets.newId("cert");
    return store.write(tx -> {
      Device device = issuable(tx, principal, deviceId);
      DeviceCertificate certificate = signed.certificate(id, device.id(), Optional.empty());
      register(tx, certificate);
      audit.record(tx, principal, "certificate.issue", "device", deviceId, AuditTrail.ABSENT,
          EntityJson.deviceCertificate(certificate).put("key", request.keyDescription())
              .put("requestedSubject", request.requestedSubject()));
      return certificate;
    });
  }

  public List<DeviceCertificate> list(Principal principal, String deviceId) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> tx.deviceCertificates().list(principal.tenant(),
        DeviceService.find(tx, principal.tenant(), deviceId).id()));
  }

  /** Revokes the certificate and its credential; revoking a revoked certificate changes nothing. */
  public DeviceCertificate revoke(Principal principal, String deviceId, String certificateId) {
    principal.require(Permission.REGISTRY_WRITE);
    Instant now = clock.instant();
    Revocation result = store.write(tx -> {
      Device device = DeviceService.find(tx, principal.tenant(), deviceId);
      DeviceCertificate current = tx.deviceCertificates().find(principal.tenant(), certificateId)
          .filter(c -> c.device().equals(device.id()))
          .orElseThrow(() -> new NotFoundException("certificate", certificateId));
      if (current.isRevoked()) {
        return new Revocation(current, Optional.empty());
      }
      tx.deviceCertificates().revoke(principal.tenant(), certificateId, now);
      tx.credentials().revoke(principal.tenant(), certificateId, now);
      DeviceCertificate revoked = current.revoked(now);
      audit.record(tx, principal, "certificate.revoke", "device", deviceId, EntityJson.deviceCertificate(current),
          EntityJson.deviceCertificate(revoked));
      return new Revocation(revoked, tx.credentials().find(principal.tenant(), certificateId));
    });
    result.credential().ifPresent(credential -> events.publish(new DomainEvent(principal.tenant(),
        "credential.revoked", "device", deviceId, now, EntityJson.credential(credential))));
    return result.certificate();
  }

  /** A certificate signed for a device and not yet stored: the CA that signed it and when. */
  record Signed(TenantCa ca, SignedCertificate certificate, String fingerprint, Instant at) {
    DeviceCertificate certificate(String id, DeviceId device, Optional<String> replaces) {
      return new DeviceCertificate(ca.tenant(), id, device, ca.id(), certificate.serial(), fingerprint,
          certificate.pem(), certificate.notBefore(), certificate.notAfter(), at, Optional.empty(), replaces,
          Optional.empty());
    }
  }

  /**
   * Signs a certificate for the request's key with the tenant's CA (made now if it has none): subject
   * {@code CN=<device id>}, valid for {@code validity} or until the CA's end if that comes first. Stores nothing.
   */
  Signed sign(Principal principal, String deviceId, CertificateRequest request, Duration validity) {
    TenantCa ca = cas.ensure(principal);
    Instant now = clock.instant();
    if (!ca.notAfter().isAfter(now.plus(Duration.ofDays(1)))) {
      throw new ConflictException("the tenant's CA " + ca.id() + " expires on " + ca.notAfter()
          + " and can no longer issue certificates");
    }
    Instant notAfter = now.plus(validity).isBefore(ca.notAfter()) ? now.plus(validity) : ca.notAfter();
    SignedCertificate signed = authority.sign(ca, request,
        new CertificateTemplate(deviceId, now.minus(CertificatePolicy.BACKDATE), notAfter));
    return new Signed(ca, signed, Certificates.fingerprint(Certificates.parsePem("certificatePem", signed.pem())), now);
  }

  /** Registers an issued certificate and its x509 credential (same id) in the transaction. */
  static void register(RegistryTx tx, DeviceCertificate certificate) {
    tx.credentials().insert(new DeviceCredential(certificate.tenant(), certificate.device(), certificate.id(),
        CredentialType.X509, Optional.empty(), Optional.of(certificate.fingerprint()),
        Optional.of(certificate.certificatePem()), Optional.of(certificate.notAfter()), certificate.createdAt(),
        Optional.empty()));
    tx.deviceCertificates().insert(certificate);
  }

  CertificatePolicy policy() {
    return policy;
  }

  /** The certificate after the call, and the credential this call revoked, if it did. */
  private record Revocation(DeviceCertificate certificate, Optional<DeviceCredential> credential) {}

  private Duration validity(FieldReader r) {
    long maxDays = policy.maxValidity().toDays();
    Optional<Long> days = r.integer("validityDays");
    if (days.isPresent() && (days.get() < 1 || days.get() > maxDays)) {
      r.error("validityDays", "must be from 1 to " + maxDays + " days, the most this server issues, not " + days.get());
    }
    return days.filter(d -> d >= 1 && d <= maxDays).map(Duration::ofDays).orElse(policy.defaultValidity());
  }

  /** The device, if it may receive a certificate. */
  private static Device issuable(RegistryTx tx, Principal principal, String deviceId) {
    Device device = DeviceService.find(tx, principal.tenant(), deviceId);
    if (device.status() == DeviceStatus.DECOMMISSIONED) {
      throw new ConflictException("device '" + deviceId + "' is decommissioned and cannot receive certificates");
    }
    return device;
  }
}
