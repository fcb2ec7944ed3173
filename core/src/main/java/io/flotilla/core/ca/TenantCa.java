package io.flotilla.core.ca;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * A tenant's certificate authority: its self-signed certificate and its private key, sealed.
 *
 * @param id unique within the tenant; names the CA in the audit log and in its certificates' records
 * @param certificatePem the CA certificate, PEM
 * @param key the CA's private key, encrypted with the server's master key
 */
public record TenantCa(TenantId tenant, String id, String certificatePem, SealedKey key, Instant notBefore,
    Instant notAfter, Instant createdAt) {
  public TenantCa {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(createdAt, "createdAt");
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException("a CA's notAfter must be after its notBefore");
    }
  }

  @Override
  public String toString() {
    return "TenantCa[" + tenant + "/" + id + ", until " + notAfter + "]";
  }
}
