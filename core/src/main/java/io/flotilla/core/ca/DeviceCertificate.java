package io.flotilla.core.ca;

import io.flotilla.core.device.DeviceId;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate a tenant CA issued to a device. It is also registered as the device's x509 credential under
 * the same id, which is what the device doors match; this record is what the CA knows: the serial for its
 * CRL, and the revocation.
 *
 * @param id the same as the id of the device credential it is registered as
 * @param caId the tenant CA that issued it
 * @param serial upper-case hex, as {@code openssl x509 -serial} prints it
 * @param fingerprint lower-case hex SHA-256 of the DER, as device credentials are matched
 * @param replaces the certificate this one was issued to replace (rotation over MQTT); that one is revoked when
 *     the device first authenticates with this one
 * @param firstUsedAt when the device first authenticated with it; recorded only for certificates that replace
 *     another
 */
public record DeviceCertificate(TenantId tenant, String id, DeviceId device, String caId, String serial,
    String fingerprint, String certificatePem, Instant notBefore, Instant notAfter, Instant createdAt,
    Optional<Instant> revokedAt, Optional<String> replaces, Optional<Instant> firstUsedAt) {
  public DeviceCertificate {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(caId, "caId");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(replaces, "replaces");
    Objects.requireNonNull(firstUsedAt, "firstUsedAt");
  }

  /** A certificate that replaces none. */
  public DeviceCertificate(TenantId tenant, String id, DeviceId device, String caId, String serial, String fingerprint,
      String certificatePem, Instant notBefore, Instant notAfter, Instant createdAt, Optional<Instant> revokedAt) {
    this(tenant, id, device, caId, serial, fingerprint, certificatePem, notBefore, notAfter, createdAt, revokedAt,
        Optional.empty(), Optional.empty());
  }

  /** True while it replaces another certificate, has not been used yet and is not revoked: a pending rotation. */
  public boolean isPendingRotation() {
    return replaces.isPresent() && firstUsedAt.isEmpty() && revokedAt.isEmpty();
  }

  public boolean isRevoked() {
    return revokedAt.isPresent();
  }

  /** The same certificate, revoked at {@code at}. */
  public DeviceCertificate revoked(Instant at) {
    return new DeviceCertificate(tenant, id, device, caId, serial, fingerprint, certificatePem, notBefore, notAfter,
        createdAt, Optional.of(at), replaces, firstUsedAt);
  }

  @Override
  public String toString() {
    return "DeviceCertificate[" + tenant + "/" + device + "/" + id + ", serial " + serial + "]";
  }
}
