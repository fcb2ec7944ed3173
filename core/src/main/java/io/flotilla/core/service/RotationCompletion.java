package io.flotilla.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.ca.DeviceCertificate;
import io.flotilla.core.device.DeviceCredential;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a certificate rotation when the device first authenticates with the new certificate: the certificate it
 * replaces is revoked (its credential too, so the CRL lists it and its live connection closes). Until then both
 * certificates are valid, so a device that lost the new one keeps working with the old.
 */
final class RotationCompletion {
  private static final Logger LOG = LoggerFactory.getLogger(RotationCompletion.class);

  private final RegistryStore store;
  private final Clock clock;
  private final DomainEvents events;
  private final AuditTrail audit;

  RotationCompletion(RegistryStore store, Clock clock, DomainEvents events) {
    this.store = store;
    this.clock = clock;
    this.events = events;
    this.audit = new AuditTrail(clock);
  }

  /** The certificate behind an accepted credential, if it is a rotation not completed yet. */
  static Optional<DeviceCertificate> pending(RegistryTx tx, DeviceAuthentication.Result.Accepted accepted) {
    return tx.deviceCertificates().find(accepted.tenant(), accepted.credentialId())
        .filter(DeviceCertificate::isPendingRotation);
  }

  /**
   * Records the first use of {@code certificate} and revokes the one it replaces, then publishes
   * {@code credential.revoked} (after the commit, on this thread: the gateway closes the old connection before the
   * new one is acknowledged). Of several connects racing with the new certificate, one does this.
   */
  void complete(DeviceCertificate certificate) {
    try {
      revokeReplaced(certificate);
    } catch (RuntimeException e) {
      // The device proved itself; the rotation completes on its next connect instead.
      LOG.warn("Completing the rotation to certificate {} of device {}/{} failed", certificate.id(),
          certificate.tenant(), certificate.device(), e);
    }
  }

  private void revokeReplaced(DeviceCertificate certificate) {
    Instant now = clock.instant();
    String old = certificate.replaces().orElseThrow();
    Optional<DeviceCredential> revoked = store.write(tx -> {
      if (!tx.deviceCertificates().markFirstUsed(certificate.tenant(), certificate.id(), now)) {
        return Optional.<DeviceCredential>empty();
      }
      Optional<DeviceCertificate> before = tx.deviceCertificates().find(certificate.tenant(), old);
      tx.deviceCertificates().revoke(certificate.tenant(), old, now);
      boolean credential = tx.credentials().revoke(certificate.tenant(), old, now);
      ObjectNode after = Json.object().put("certificateId", certificate.id()).put("revoked", old)
          .put("firstUsedAt", now.toString());
      audit.record(tx, certificate.tenant(), "device:" + certificate.device(), "certificate.rotated", "device",
          certificate.device().value(), before.<JsonNode>map(EntityJson::deviceCertificate).orElse(AuditTrail.ABSENT),
          after);
      return credential ? tx.credentials().find(certificate.tenant(), old) : Optional.<DeviceCredential>empty();
    });
    revoked.ifPresent(credential -> {
      LOG.info("Device {}/{} connected with its new certificate {}; the certificate {} it replaces is revoked",
          certificate.tenant(), certificate.device(), certificate.id(), old);
      events.publish(new DomainEvent(certificate.tenant(), "credential.revoked", "device",
          certificate.device().value(), now, EntityJson.credential(credential)));
    });
  }
}
