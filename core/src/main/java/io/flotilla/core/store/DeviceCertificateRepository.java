package io.flotilla.core.store;

import io.flotilla.core.ca.DeviceCertificate;
import io.flotilla.core.ca.RevokedSerial;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Certificates issued by tenant CAs. Rows outlive their device, so that a deleted device's certificates stay
 * on its CA's CRL; they go only with their tenant.
 */
public interface DeviceCertificateRepository {
  /** Throws {@link DuplicateKeyException} when the id, or the serial within the CA, exists already. */
  void insert(DeviceCertificate certificate);

  Optional<DeviceCertificate> find(TenantId tenant, String id);

  /** The device's certificates, oldest first. */
  List<DeviceCertificate> list(TenantId tenant, DeviceId device);

  /** Marks the certificate revoked at {@code at}; false when it does not exist or was revoked already. */
  boolean revoke(TenantId tenant, String id, Instant at);

  /**
   * Records the first authentication with a certificate that replaces another; false when it was recorded
   * already, or the certificate is revoked or unknown (so one of several racing connects wins).
   */
  boolean markFirstUsed(TenantId tenant, String id, Instant at);

  /** Revokes every certificate of the device not revoked yet; returns how many. */
  int revokeAllOf(TenantId tenant, DeviceId device, Instant at);

  /** The CA's revoked certificates that have not expired at {@code now} (a CRL need not list expired ones), by serial. */
  List<RevokedSerial> revoked(TenantId tenant, String caId, Instant now);
}
