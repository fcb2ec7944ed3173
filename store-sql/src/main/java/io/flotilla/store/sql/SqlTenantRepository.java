package io.flotilla.store.sql;

import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.TenantRepository;
import io.flotilla.core.tenant.Tenant;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class SqlTenantRepository implements TenantRepository {
  private static final String COLUMNS = "id, name, created_at, updated_at, version";

  private final JdbcSession sql;

  SqlTenantRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public void insert(Tenant tenant) {
    int inserted = sql.update("INSERT INTO tenants (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        tenant.id().value(), tenant.name(), Millis.of(tenant.createdAt()), Millis.of(tenant.updatedAt()),
        tenant.version());
    if (inserted == 0) {
      throw new DuplicateKeyException("tenant '" + tenant.id() + "' exists already", null);
    }
  }

  @Override
  public Optional<Tenant> find(TenantId id) {
    return sql.one("SELECT " + COLUMNS + " FROM tenants WHERE id = ?", SqlTenantRepository::map, id.value());
  }

  @Override
  public List<Tenant> list() {
    return sql.list("SELECT " + COLUMNS + " FROM tenants ORDER BY id", SqlTenantRepository::map);
  }

  @Override
  public boolean update(Tenant tenant, long expectedVersion) {
    return sql.update("UPDATE tenants SET name = ?, created_at = ?, updated_at = ?, version = ? "
            + "WHERE id = ? AND version = ?",
        tenant.name(), Millis.of(tenant.createdAt()), Millis.of(tenant.updatedAt()), tenant.version(),
        tenant.id().value(), expectedVersion) == 1;
  }

  // Every table that belongs to a tenant refers to it ON DELETE CASCADE, directly or through its parent.
  @Override
  public boolean delete(TenantId id) {
    return sql.update("DELETE FROM tenants WHERE id = ?", id.value()) == 1;
  }

  private static Tenant map(ResultSet row) throws SQLException {
    return new Tenant(new TenantId(row.getString("id")), row.getString("name"), Millis.read(row, "created_at"),
        Millis.read(row, "updated_at"), row.getLong("version"));
  }
}
