package io.flotilla.core.provisioning;

import io.flotilla.core.tenant.TenantId;
import java.util.Objects;
import java.util.Optional;

/**
 * What a provisioning client proved when it connected: membership of an enrollment group, and for a
 * symmetric-key proof the one device id the proof was made for.
 *
 * @param via how it proved it, for logs and audit: {@code claim-certificate:<id>} or {@code symmetric-key}
 */
public record ProvisioningClaim(TenantId tenant, String groupId, Optional<String> boundDeviceId, String via) {
  public ProvisioningClaim {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(boundDeviceId, "boundDeviceId");
    Objects.requireNonNull(via, "via");
  }
}
