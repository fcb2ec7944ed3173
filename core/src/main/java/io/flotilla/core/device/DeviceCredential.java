package io.flotilla.core.device;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A credential registered to a device. A token keeps only the SHA-256 of its secret; a
 * certificate keeps its PEM and the SHA-256 fingerprint of its DER encoding.
 *
 * @param notAfter when a certificate stops being valid; empty for tokens
 */
public record DeviceCredential(TenantId tenant, DeviceId device, String id, CredentialType type,
    Optional<String> secretHash, Optional<String> fingerprint, Optional<String> certificatePem,
    Optional<Instant> notAfter, Instant createdAt, Optional<Instant> revokedAt) {
  public DeviceCredential {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(secretHash, "secretHash");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    if ((type == CredentialType.TOKEN) != secretHash.isPresent()
        || (type == CredentialType.X509) != fingerprint.isPresent()) {
      throw new IllegalArgumentException("a token credential has a secret hash, a certificate a fingerprint");
    }
  }

  public boolean isRevoked() {
    return revokedAt.isPresent();
  }

  @Override
  public String toString() {
    return "DeviceCredential[" + tenant + "/" + device + "/" + id + ", " + type.wireName() + "]";
  }
}
