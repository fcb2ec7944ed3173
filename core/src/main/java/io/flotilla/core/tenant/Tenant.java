package io.flotilla.core.tenant;

import java.time.Instant;
import java.util.Objects;

/** An isolated customer of the platform: every other entity belongs to exactly one tenant. */
public record Tenant(TenantId id, String name, Instant createdAt, Instant updatedAt, long version) {
  public Tenant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
