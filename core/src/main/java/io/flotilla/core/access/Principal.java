package io.flotilla.core.access;

import io.flotilla.core.error.ForbiddenException;
import io.flotilla.core.tenant.TenantId;
import java.util.Objects;

/** Who is calling: the authenticated token, its user, its tenant and the role it acts with. */
public record Principal(TenantId tenant, String userId, String tokenId, Role role) {
  public Principal {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(role, "role");
  }

  /** A principal for work the server does on its own behalf (bootstrap, background jobs). */
  public static Principal system(TenantId tenant) {
    return new Principal(tenant, "system", "system", Role.SYSTEM_ADMIN);
  }

  public void require(Permission permission) {
    if (!role.allows(permission)) {
      throw new ForbiddenException("role " + role.wireName() + " may not do this (needs "
          + permission.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
  }

  /** How the audit log names this caller: {@code user:alice/token:t_8f…}. */
  public String actor() {
    return "user:" + userId + "/token:" + tokenId;
  }
}
