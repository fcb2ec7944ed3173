package io.flotilla.core.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.device.Certificates;
import io.flotilla.core.device.CredentialType;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceCredential;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Device credentials: tokens issued here (the secret is returned once, only its hash is kept) and
 * X.509 certificates registered from their PEM (matched later by fingerprint).
 */
public final class CredentialService {
  static final Set<String> FIELDS = Set.of("type", "certificatePem");

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;
  private final DomainEvents events;

  public CredentialService(RegistryStore store, Clock clock, DomainEvents events) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
    this.events = events;
  }

  /** Issues a token or registers a certificate; the secret of a token is in the result, once. */
  public IssuedCredential issue(Principal principal, String deviceId, ObjectNode body) {
    principal.require(Permission.REGISTRY_WRITE);
    FieldReader r = FieldReader.of(body, FIELDS);
    CredentialType type = CredentialType.TOKEN;
    try {
      type = CredentialType.fromWire(r.string("type").orElse("token"));
    } catch (ValidationException e) {
      r.error("type", e.errors().get(0).message());
    }
    Optional<String> pem = r.string("certificatePem");
    if (type == CredentialType.X509 && pem.isEmpty() && !r.hasErrorAt("certificatePem")) {
      r.error("certificatePem", "is required for an x509 credential: the device's certificate in PEM");
    } else if (type == CredentialType.TOKEN && pem.isPresent()) {
      r.error("certificatePem", "is only allowed for x509 credentials");
    }
    r.throwIfErrors();
    Instant now = clock.instant();
    Optional<X509Certificate> certificate = pem.map(p -> Certificates.parsePem("certificatePem", p));
    certificate.ifPresent(c -> {
      if (!c.getNotAfter().toInstant().isAfter(now)) {
        throw new ValidationException("certificatePem", "the certificate expired at " + c.getNotAfter().toInstant());
      }
    });
    Optional<String> secret = type == CredentialType.TOKEN ? Optional.of(TokenSecrets.newSecret(TokenSecrets.DEVICE_TOKEN_PREFIX)) : Optional.empty();
    CredentialType chosen = type;
    return store.write(tx -> {
      Device device = DeviceService.find(tx, principal.tenant(), deviceId);
      if (device.status() == DeviceStatus.DECOMMISSIONED) {
        throw new ConflictException("device '" + deviceId + "' is decommissioned and cannot receive credentials");
      }
      DeviceCredential credential = new DeviceCredential(principal.tenant(), device.id(), TokenSecrets.newId("cred"),
          chosen, secret.map(TokenSecrets::hash), certificate.map(Certificates::fingerprint), pem,
          certificate.map(c -> c.getNotAfter().toInstant()), now, Optional.empty());
      try {
        tx.credentials().insert(credential);
      } catch (DuplicateKeyException e) {
        throw new ConflictException("this certificate is registered already");
      }
      audit.record(tx, principal, "credential.create", "device", deviceId, AuditTrail.ABSENT,
          EntityJson.credential(credential));
      return new IssuedCredential(credential, secret);
    });
  }

  public List<DeviceCredential> list(Principal principal, String deviceId) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> tx.credentials().list(principal.tenant(),
        DeviceService.find(tx, principal.tenant(), deviceId).id()));
  }

  /** Revokes a credential of the device; the device can no longer connect with it. */
  public DeviceCredential revoke(Principal principal, String deviceId, String credentialId) {
    principal.require(Permission.REGISTRY_WRITE);
    Revocation result = store.write(tx -> {
      Device device = DeviceService.find(tx, principal.tenant(), deviceId);
      DeviceCredential current = tx.credentials().find(principal.tenant(), credentialId)
          .filter(c -> c.device().equals(device.id()))
          .orElseThrow(() -> new NotFoundException("credential", credentialId));
      if (current.isRevoked()) {
        return new Revocation(current, false);
      }
      Instant now = clock.instant();
      tx.credentials().revoke(principal.tenant(), credentialId, now);
      // A certificate a tenant CA issued is registered under the same id: it goes on the CA's CRL too.
      tx.deviceCertificates().revoke(principal.tenant(), credentialId, now);
      DeviceCredential revoked = new DeviceCredential(current.tenant(), current.device(), current.id(), current.type(),
          current.secretHash(), current.fingerprint(), current.certificatePem(), current.notAfter(),
          current.createdAt(), Optional.of(now));
      audit.record(tx, principal, "credential.revoke", "device", deviceId, EntityJson.credential(current),
          EntityJson.credential(revoked));
      return new Revocation(revoked, true);
    });
    if (result.changed()) {
      events.publish(new DomainEvent(principal.tenant(), "credential.revoked", "device", deviceId,
          result.credential().revokedAt().orElseThrow(), EntityJson.credential(result.credential())));
    }
    return result.credential();
  }

  /** The revoked credential, and whether this call revoked it (false when it was revoked before). */
  private record Revocation(DeviceCredential credential, boolean changed) {}


  /** A credential and, for a token, its secret. */
  public record IssuedCredential(DeviceCredential credential, Optional<String> secret) {
    @Override
    public String toString() {
      return "IssuedCredential[" + credential + ", secret=" + (secret.isPresent() ? "****" : "none") + "]";
    }
  }
}
