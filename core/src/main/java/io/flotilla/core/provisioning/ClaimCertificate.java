package io.flotilla.core.provisioning;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * A certificate registered with an enrollment group as its claim: whoever holds its key may provision devices
 * into the group, and do nothing else. Matched by {@code fingerprint} (SHA-256 of the DER), unique across tenants.
 *
 * @param issued true when the tenant CA issued it from a CSR, false when the operator brought it
 */
public record ClaimCertificate(TenantId tenant, String id, String groupId, String fingerprint, String certificatePem,
    Instant notAfter, boolean issued, Instant createdAt) {
  public ClaimCertificate {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
