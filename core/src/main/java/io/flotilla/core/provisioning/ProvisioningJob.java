package io.flotilla.core.provisioning;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A bulk provisioning job and its progress.
 *
 * @param validityDays the validity of the certificates it issues
 * @param createdBy the audit actor who submitted it
 * @param finishedAt when it completed or was cancelled
 */
public record ProvisioningJob(TenantId tenant, String id, JobState state, int total, int provisioned, int failed,
    int cancelled, int validityDays, String createdBy, Instant createdAt, Instant updatedAt,
    Optional<Instant> finishedAt) {
  public ProvisioningJob {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    if (total < 1 || provisioned < 0 || failed < 0 || cancelled < 0 || provisioned + failed + cancelled > total) {
      throw new IllegalArgumentException("job counts out of range: total " + total + ", provisioned " + provisioned
          + ", failed " + failed + ", cancelled " + cancelled);
    }
  }

  /** Rows not worked on yet. */
  public int pending() {
    return total - provisioned - failed - cancelled;
  }
}
