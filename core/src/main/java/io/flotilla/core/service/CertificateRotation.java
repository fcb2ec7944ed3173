package io.flotilla.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.ca.CaKeyUnavailableException;
import io.flotilla.core.ca.CertificateAuthority;
import io.flotilla.core.ca.CertificateRequest;
import io.flotilla.core.ca.DeviceCertificate;
import io.flotilla.core.device.CredentialType;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceCredential;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.error.DomainException;
import io.flotilla.core.error.FieldError;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device renews its own certificate before it expires: connected with a certificate of its tenant's CA, it sends
 * a new CSR and gets a new certificate, registered as a credential that {@code replaces} the one it connected with.
 * The old certificate stays valid until the device first authenticates with the new one
 * ({@link DeviceAuthentication} then revokes it). A device has at most one pending rotation: a new request
 * supersedes an unused pending certificate (revoked in the same transaction; it never authenticated anything, so
 * its {@code credential.revoked} closes no connection), so a device that lost the answer simply asks again.
 */
public final class CertificateRotation {
  /** The largest request taken: a CSR of an RSA 8192 key is about 6 KiB in PEM. */
  public static final int MAX_REQUEST_BYTES = 16 * 1024;
  static final Set<String> FIELDS = Set.of("csrPem", "clientToken");
  private static final int MAX_CLIENT_TOKEN = 64;
  private static final Logger LOG = LoggerFactory.getLogger(CertificateRotation.class);

  private final RegistryStore store;
  private final DeviceCertificateService certificates;
  private final CertificateAuthority authority;
  private final AuditTrail audit;
  private final DomainEvents events;

  public CertificateRotation(RegistryStore store, Clock clock, DomainEvents events, CertificateAuthority authority,
      DeviceCertificateService certificates) {
    this.store = store;
    this.events = events;
    this.authority = authority;
    this.certificates = certificates;
    this.audit = new AuditTrail(clock);
  }

  /** Why a rotation was refused; devices see the wire name. */
  public enum Code {
    /** Not JSON, too large, unknown or missing fields. */
    BAD_REQUEST,
    /** The CSR is malformed, its key too weak, or its signature does not verify. */
    INVALID_CSR,
    /** The device did not connect with a certificate of its tenant's CA (a token, an uploaded certificate…). */
    NOT_ALLOWED,
    /** The device is suspended, pending or decommissioned, or its credential was revoked meanwhile. */
    DEVICE_NOT_ACTIVE,
    /** The tenant's CA cannot sign now (its key sealed with another master key, or it is about to expire). */
    CA_UNAVAILABLE;

    public String wireName() {
      return name();
    }
  }

  /** What the device is told. */
  public sealed interface Outcome {
    Optional<String> clientToken();

    /** The new certificate, the CA that issued it, and the token the device sent. */
    record Rotated(DeviceCertificate certificate, String caCertificatePem, Optional<String> clientToken)
        implements Outcome {}

    /** The refusal and why; nothing was changed. */
    record Rejected(Code code, String message, Optional<String> clientToken) implements Outcome {
      public Rejected {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
      }
    }
  }

  /**
   * Handles one request from {@code device}, connected with the credential {@code credentialId} (empty when the
   * door does not know it). Blocks on the registry and the CA: call it off network threads.
   */
  public Outcome rotate(TenantId tenant, DeviceId device, Optional<String> credentialId, byte[] payload) {
    if (payload.length > MAX_REQUEST_BYTES) {
      return new Outcome.Rejected(Code.BAD_REQUEST, "the request has " + payload.length + " bytes; at most "
          + MAX_REQUEST_BYTES + " are taken", Optional.empty());
    }
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(payload);
    } catch (IOException e) {
      return new Outcome.Rejected(Code.BAD_REQUEST, "the request is not JSON: send {\"csrPem\":\"-----BEGIN "
          + "CERTIFICATE REQUEST-----…\",\"clientToken\":\"…\"}", Optional.empty());
    }
    if (!(body instanceof ObjectNode object)) {
      return new Outcome.Rejected(Code.BAD_REQUEST, "the request must be a JSON object with csrPem", Optional.empty());
    }
    Optional<String> clientToken = Optional.ofNullable(object.get("clientToken")).filter(JsonNode::isTextual)
        .map(JsonNode::asText).filter(t -> t.length() <= MAX_CLIENT_TOKEN);
    FieldReader r = FieldReader.of(object, FIELDS);
    Optional<String> csrPem = r.string("csrPem");
    if (csrPem.isEmpty() && !r.hasErrorAt("csrPem")) {
      r.error("csrPem", "is required: the device's new certificate signing request in PEM (openssl req -new …)");
    }
    Optional<String> token = r.string("clientToken");
    if (token.isPresent() && token.get().length() > MAX_CLIENT_TOKEN) {
      r.error("clientToken", "has " + token.get().length() + " characters; at most " + MAX_CLIENT_TOKEN);
    }
    if (r.hasErrors()) {
      return new Outcome.Rejected(Code.BAD_REQUEST, describe(r.errors()), clientToken);
    }
    if (credentialId.isEmpty()) {
      return new Outcome.Rejected(Code.NOT_ALLOWED, "connect with your current certificate to rotate it",
          clientToken);
    }
    try {
      CertificateRequest request = authority.check("csrPem", csrPem.orElseThrow());
      Principal system = Principal.system(tenant);
      Optional<Outcome.Rejected> refused = store.read(tx -> refusal(tx, tenant, device, credentialId.get(),
          clientToken));
      if (refused.isPresent()) {
        return refused.get();
      }
      DeviceCertificateService.Signed signed = certificates.sign(system, device.value(), request,
          certificates.policy().defaultValidity());
      String id = TokenSecrets.newId("cert");
      List<DeviceCredential> superseded = new ArrayList<>();
      Outcome outcome = store.write(tx -> {
        superseded.clear();
        Optional<Outcome.Rejected> late = refusal(tx, tenant, device, credentialId.get(), clientToken);
        if (late.isPresent()) {
          return late.get();
        }
        String actor = "device:" + device;
        for (DeviceCertificate pending : tx.deviceCertificates().list(tenant, device)) {
          if (pending.isPendingRotation()) {
            tx.deviceCertificates().revoke(tenant, pending.id(), signed.at());
            if (tx.credentials().revoke(tenant, pending.id(), signed.at())) {
              tx.credentials().find(tenant, pending.id()).ifPresent(superseded::add);
            }
            audit.record(tx, tenant, actor, "certificate.rotation-superseded", "device", device.value(),
                EntityJson.deviceCertificate(pending), EntityJson.deviceCertificate(pending.revoked(signed.at())));
          }
        }
        DeviceCertificate certificate = signed.certificate(id, device, credentialId);
        DeviceCertificateService.register(tx, certificate);
        audit.record(tx, tenant, actor, "certificate.rotate", "device", device.value(), AuditTrail.ABSENT,
            EntityJson.deviceCertificate(certificate).put("key", request.keyDescription()));
        return new Outcome.Rotated(certificate, signed.ca().certificatePem(), clientToken);
      });
      if (outcome instanceof Outcome.Rotated rotated) {
        LOG.info("Device {}/{} rotated its certificate {}: new certificate {}, valid until {}", tenant, device,
            credentialId.get(), id, rotated.certificate().notAfter());
      }
      // The superseded certificates were never used, so no connection closes (AccessRevocations matches credentials).
      superseded.forEach(c -> events.publish(new DomainEvent(tenant, "credential.revoked", "device", device.value(),
          signed.at(), EntityJson.credential(c))));
      return outcome;
    } catch (ValidationException e) {
      return new Outcome.Rejected(Code.INVALID_CSR, describe(e.errors()), clientToken);
    } catch (CaKeyUnavailableException e) {
      return new Outcome.Rejected(Code.CA_UNAVAILABLE, "the tenant's CA cannot sign now; ask an operator", clientToken);
    } catch (DomainException e) {
      return new Outcome.Rejected(Code.CA_UNAVAILABLE, e.getMessage(), clientToken);
    }
  }

  /** Why this device, connected with this credential, may not rotate now; empty when it may. */
  private static Optional<Outcome.Rejected> refusal(RegistryTx tx, TenantId tenant, DeviceId device,
      String credentialId, Optional<String> clientToken) {
    Optional<DeviceCredential> credential = tx.credentials().find(tenant, credentialId)
        .filter(c -> c.device().equals(device));
    if (credential.isEmpty() || credential.get().type() != CredentialType.X509) {
      return Optional.of(new Outcome.Rejected(Code.NOT_ALLOWED, "only a device connected with a certificate of its "
          + "tenant's CA may rotate it; this connection used a " + credential.map(c -> c.type().wireName())
          .orElse("unknown") + " credential (an operator issues certificates: POST /api/v1/devices/" + device
          + "/certificates)", clientToken));
    }
    if (credential.get().isRevoked()) {
      return Optional.of(new Outcome.Rejected(Code.DEVICE_NOT_ACTIVE, "the certificate " + credentialId
          + " this connection used has been revoked", clientToken));
    }
    Optional<DeviceCertificate> certificate = tx.deviceCertificates().find(tenant, credentialId);
    if (certificate.isEmpty()) {
      return Optional.of(new Outcome.Rejected(Code.NOT_ALLOWED, "the certificate this connection used was not "
          + "issued by the tenant's CA (it was uploaded, or a registered CA signed it): renew it where it was made",
          clientToken));
    }
    Optional<Device> found = tx.devices().find(tenant, device);
    if (found.isEmpty() || found.get().status() != DeviceStatus.ACTIVE
        && found.get().status() != DeviceStatus.PROVISIONED) {
      return Optional.of(new Outcome.Rejected(Code.DEVICE_NOT_ACTIVE, "device '" + device + "' is "
          + found.map(d -> d.status().name().toLowerCase(Locale.ROOT)).orElse("deleted")
          + " and cannot receive certificates", clientToken));
    }
    return Optional.empty();
  }

  private static String describe(List<FieldError> errors) {
    return errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
  }
}
