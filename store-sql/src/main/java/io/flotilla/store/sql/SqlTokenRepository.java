package io.flotilla.store.sql;

import io.flotilla.core.access.ApiToken;
import io.flotilla.core.access.Role;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.TokenRepository;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class SqlTokenRepository implements TokenRepository {
  private static final String COLUMNS =
      "tenant_id, id, user_id, name, role, secret_hash, created_at, expires_at, revoked_at";

  private final JdbcSession sql;

  SqlTokenRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public void insert(ApiToken token) {
    int inserted = sql.update("INSERT INTO api_tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING",
        token.tenant().value(), token.id(), token.userId(), token.name(), token.role().wireName(),
        token.secretHash(), Millis.of(token.createdAt()), Millis.ofOptional(token.expiresAt()),
        Millis.ofOptional(token.revokedAt()));
    if (inserted == 0) {
      throw new DuplicateKeyException("token '" + token.id() + "' or its secret hash exists already", null);
    }
  }

  @Override
  public Optional<ApiToken> findBySecretHash(String secretHash) {
    return sql.one("SELECT " + COLUMNS + " FROM api_tokens WHERE secret_hash = ?", SqlTokenRepository::map,
        secretHash);
  }

  @Override
  public Optional<ApiToken> find(TenantId tenant, String id) {
    return sql.one("SELECT " + COLUMNS + " FROM api_tokens WHERE tenant_id = ? AND id = ?", SqlTokenRepository::map,
        tenant.value(), id);
  }

  @Override
  public List<ApiToken> list(TenantId tenant, Optional<String> userId) {
    if (userId.isPresent()) {
      return sql.list("SELECT " + COLUMNS + " FROM api_tokens WHERE tenant_id = ? AND user_id = ? "
          + "ORDER BY created_at, id", SqlTokenRepository::map, tenant.value(), userId.get());
    }
    return sql.list("SELECT " + COLUMNS + " FROM api_tokens WHERE tenant_id = ? ORDER BY created_at, id",
        SqlTokenRepository::map, tenant.value());
  }

  @Override
  public boolean revoke(TenantId tenant, String id, Instant at) {
    return sql.update("UPDATE api_tokens SET revoked_at = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL",
        Millis.of(at), tenant.value(), id) == 1;
  }

  private static ApiToken map(ResultSet row) throws SQLException {
    return new ApiToken(new TenantId(row.getString("tenant_id")), row.getString("id"), row.getString("user_id"),
        row.getString("name"), Role.fromWire(row.getString("role")), row.getString("secret_hash"),
        Millis.read(row, "created_at"), Millis.readOptional(row, "expires_at"), Millis.readOptional(row, "revoked_at"));
  }
}
