package io.flotilla.store.sql;

import io.flotilla.core.access.Role;
import io.flotilla.core.access.User;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.UserRepository;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class SqlUserRepository implements UserRepository {
  private static final String COLUMNS =
      "tenant_id, id, display_name, role, disabled, created_at, updated_at, version";

  private final JdbcSession sql;

  SqlUserRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public void insert(User user) {
    int inserted = sql.update("INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING",
        user.tenant().value(), user.id(), user.displayName(), user.role().wireName(), user.disabled(),
        Millis.of(user.createdAt()), Millis.of(user.updatedAt()), user.version());
    if (inserted == 0) {
      throw new DuplicateKeyException("user '" + user.id() + "' exists already in tenant '" + user.tenant() + "'",
          null);
    }
  }

  @Override
  public Optional<User> find(TenantId tenant, String id) {
    return sql.one("SELECT " + COLUMNS + " FROM users WHERE tenant_id = ? AND id = ?", SqlUserRepository::map,
        tenant.value(), id);
  }

  @Override
  public List<User> list(TenantId tenant) {
    return sql.list("SELECT " + COLUMNS + " FROM users WHERE tenant_id = ? ORDER BY id", SqlUserRepository::map,
        tenant.value());
  }

  @Override
  public boolean update(User user, long expectedVersion) {
    return sql.update("UPDATE users SET display_name = ?, role = ?, disabled = ?, created_at = ?, updated_at = ?, "
            + "version = ? WHERE tenant_id = ? AND id = ? AND version = ?",
        user.displayName(), user.role().wireName(), user.disabled(), Millis.of(user.createdAt()),
        Millis.of(user.updatedAt()), user.version(), user.tenant().value(), user.id(), expectedVersion) == 1;
  }

  // The user's tokens go with it: api_tokens refers to users ON DELETE CASCADE.
  @Override
  public boolean delete(TenantId tenant, String id) {
    return sql.update("DELETE FROM users WHERE tenant_id = ? AND id = ?", tenant.value(), id) == 1;
  }

  private static User map(ResultSet row) throws SQLException {
    return new User(new TenantId(row.getString("tenant_id")), row.getString("id"), row.getString("display_name"),
        Role.fromWire(row.getString("role")), row.getBoolean("disabled"), Millis.read(row, "created_at"),
        Millis.read(row, "updated_at"), row.getLong("version"));
  }
}
