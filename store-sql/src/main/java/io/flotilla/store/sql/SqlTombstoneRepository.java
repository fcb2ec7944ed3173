package io.flotilla.store.sql;

import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.PurgeMode;
import io.flotilla.core.device.Tombstone;
import io.flotilla.core.store.TombstoneRepository;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

final class SqlTombstoneRepository implements TombstoneRepository {
  private static final String COLUMNS = "tenant_id, device_id, reason, decommissioned_at, deleted_at, purge, "
      + "credentials_revoked, certificates_revoked, groups_left, points_purged";

  private final JdbcSession sql;

  SqlTombstoneRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public boolean insert(Tombstone t) {
    return sql.update("INSERT INTO device_tombstones (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING",
        t.tenant().value(), t.device().value(), t.reason().wireName(), Millis.of(t.at()),
        Millis.ofOptional(t.deletedAt()), t.purge().wireName(), t.credentialsRevoked(), t.certificatesRevoked(),
        t.groupsLeft(), t.pointsPurged()) == 1;
  }

  @Override
  public boolean update(Tombstone t) {
    return sql.update("UPDATE device_tombstones SET reason = ?, decommissioned_at = ?, deleted_at = ?, purge = ?, "
            + "credentials_revoked = ?, certificates_revoked = ?, groups_left = ?, points_purged = ? "
            + "WHERE tenant_id = ? AND device_id = ?",
        t.reason().wireName(), Millis.of(t.at()), Millis.ofOptional(t.deletedAt()), t.purge().wireName(),
        t.credentialsRevoked(), t.certificatesRevoked(), t.groupsLeft(), t.pointsPurged(), t.tenant().value(),
        t.device().value()) == 1;
  }

  @Override
  public Optional<Tombstone> find(TenantId tenant, DeviceId device) {
    return sql.one("SELECT " + COLUMNS + " FROM device_tombstones WHERE tenant_id = ? AND device_id = ?",
        SqlTombstoneRepository::map, tenant.value(), device.value());
  }

  @Override
  public Set<DeviceId> existing(TenantId tenant, Collection<DeviceId> ids) {
    return DeviceIdLookup.existing(sql, "device_tombstones", "device_id", tenant, ids);
  }

  @Override
  public boolean delete(TenantId tenant, DeviceId device) {
    return sql.update("DELETE FROM device_tombstones WHERE tenant_id = ? AND device_id = ?", tenant.value(),
        device.value()) == 1;
  }

  private static Tombstone map(ResultSet row) throws SQLException {
    return new Tombstone(new TenantId(row.getString("tenant_id")), new DeviceId(row.getString("device_id")),
        Tombstone.Reason.fromWire(row.getString("reason")), Millis.read(row, "decommissioned_at"),
        Millis.readOptional(row, "deleted_at"), PurgeMode.fromWire("purge", row.getString("purge")),
        row.getInt("credentials_revoked"), row.getInt("certificates_revoked"), row.getInt("groups_left"),
        row.getLong("points_purged"));
  }
}
