package io.flotilla.core.store;

import io.flotilla.core.access.ApiToken;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface TokenRepository {
  /** Throws {@link DuplicateKeyException} when the id or the secret hash exists already. */
  void insert(ApiToken token);

  /** Looks a token up by the SHA-256 of its secret, across all tenants. */
  Optional<ApiToken> findBySecretHash(String secretHash);

  Optional<ApiToken> find(TenantId tenant, String id);

  /** The tenant's tokens ordered by creation, optionally only one user's. */
  List<ApiToken> list(TenantId tenant, Optional<String> userId);

  /** Marks the token revoked at {@code at}; false when it does not exist or was revoked already. */
  boolean revoke(TenantId tenant, String id, Instant at);
}
