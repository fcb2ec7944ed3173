package io.flotilla.core.access;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/** A person or an integration that holds API tokens in one tenant. */
public record User(TenantId tenant, String id, String displayName, Role role, boolean disabled,
    Instant createdAt, Instant updatedAt, long version) {
  public User {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
