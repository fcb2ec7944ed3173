package io.flotilla.core.access;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A bearer token as stored: only the SHA-256 of the secret is kept, the secret itself is shown
 * once at creation. A token acts with its own role, which never exceeds its user's.
 */
public record ApiToken(TenantId tenant, String id, String userId, String name, Role role,
    String secretHash, Instant createdAt, Optional<Instant> expiresAt, Optional<Instant> revokedAt) {
  public ApiToken {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(secretHash, "secretHash");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
  }

  public boolean isExpiredAt(Instant now) {
    return expiresAt.map(e -> !now.isBefore(e)).orElse(false);
  }

  public boolean isRevoked() {
    return revokedAt.isPresent();
  }

  @Override
  public String toString() {
    return "ApiToken[" + tenant + "/" + id + ", user=" + userId + ", role=" + role + "]";
  }
}
