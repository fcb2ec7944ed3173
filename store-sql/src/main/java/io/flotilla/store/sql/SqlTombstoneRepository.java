package io.flotilla.store.sql;

import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.PurgeMode;
import io.flotilla.core.device.Tombstone;
import io.flotilla.core.store.TombstoneRepository;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

final class SqlTombstoneRepository implements TombstoneRepository {
  private static final String COLUMNS = "tenant_id, device_id, reason, decommissioned_at, deleted_at, purge, "
      + "credentials_revoked, certificates_revoked, groups_left, points_purged";
  private static final int IDS_PER_QUERY = 500;

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
    List<String> distinct = ids.stream().map(DeviceId::value).distinct().toList();
    Set<DeviceId> found = new HashSet<>();
    for (int from = 0; from < distinct.size(); from += IDS_PER_QUERY) {
      List<String> chunk = distinct.subList(from, Math.min(from + IDS_PER_QUERY, distinct.size()));
      List<Object> params = new ArrayList<>(chunk.size() + 1);
      params.add(tenant.value());
      params.addAll(chunk);
      String marks = chunk.stream().map(id -> "?").collect(Collectors.joining(", "));
      sql.each("SELECT device_id FROM device_tombstones WHERE tenant_id = ? AND device_id IN (" + marks + ")",
          row -> new DeviceId(row.getString(1)), found::add, params.toArray());
    }
    return found;
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
