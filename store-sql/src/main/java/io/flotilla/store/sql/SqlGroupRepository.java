package io.flotilla.store.sql;

import io.flotilla.core.device.DeviceId;
import io.flotilla.core.group.DeviceGroup;
import io.flotilla.core.group.GroupType;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.GroupRepository;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

final class SqlGroupRepository implements GroupRepository {
  private static final String COLUMNS =
      "tenant_id, id, name, description, type, filter, created_at, updated_at, version";

  private final JdbcSession sql;

  SqlGroupRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public void insert(DeviceGroup group) {
    int inserted = sql.update("INSERT INTO device_groups (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING",
        group.tenant().value(), group.id(), group.name(), group.description(), group.type().wireName(),
        group.filter().map(JsonColumns::filter).orElse(null), Millis.of(group.createdAt()),
        Millis.of(group.updatedAt()), group.version());
    if (inserted == 0) {
      throw new DuplicateKeyException("group '" + group.id() + "' exists already in tenant '" + group.tenant() + "'",
          null);
    }
  }

  @Override
  public Optional<DeviceGroup> find(TenantId tenant, String id) {
    return sql.one("SELECT " + COLUMNS + " FROM device_groups WHERE tenant_id = ? AND id = ?",
        SqlGroupRepository::map, tenant.value(), id);
  }

  @Override
  public List<DeviceGroup> list(TenantId tenant) {
    return sql.list("SELECT " + COLUMNS + " FROM device_groups WHERE tenant_id = ? ORDER BY id",
        SqlGroupRepository::map, tenant.value());
  }

  @Override
  public boolean update(DeviceGroup group, long expectedVersion) {
    return sql.update("UPDATE device_groups SET name = ?, description = ?, type = ?, filter = ?, created_at = ?, "
            + "updated_at = ?, version = ? WHERE tenant_id = ? AND id = ? AND version = ?",
        group.name(), group.description(), group.type().wireName(),
        group.filter().map(JsonColumns::filter).orElse(null), Millis.of(group.createdAt()),
        Millis.of(group.updatedAt()), group.version(), group.tenant().value(), group.id(), expectedVersion) == 1;
  }

  // Memberships go with the group: group_members refers to device_groups ON DELETE CASCADE.
  @Override
  public boolean delete(TenantId tenant, String id) {
    return sql.update("DELETE FROM device_groups WHERE tenant_id = ? AND id = ?", tenant.value(), id) == 1;
  }

  // Selecting from devices skips ids that do not exist (or were deleted meanwhile) instead of
  // failing the whole batch on a foreign key; the group must exist too.
  @Override
  public int addMembers(TenantId tenant, String groupId, Collection<DeviceId> devices) {
    List<Object[]> rows = new LinkedHashSet<>(devices).stream()
        .map(device -> new Object[] {groupId, tenant.value(), device.value(), groupId})
        .toList();
    int added = 0;
    for (int count : sql.batch("INSERT INTO group_members (tenant_id, group_id, device_id) "
        + "SELECT d.tenant_id, ?, d.id FROM devices d WHERE d.tenant_id = ? AND d.id = ? "
        + "AND EXISTS (SELECT 1 FROM device_groups g WHERE g.tenant_id = d.tenant_id AND g.id = ?) "
        + "ON CONFLICT DO NOTHING", rows)) {
      added += Math.max(count, 0);
    }
    return added;
  }

  @Override
  public boolean removeMember(TenantId tenant, String groupId, DeviceId device) {
    return sql.update("DELETE FROM group_members WHERE tenant_id = ? AND group_id = ? AND device_id = ?",
        tenant.value(), groupId, device.value()) == 1;
  }

  @Override
  public List<String> groupsOf(TenantId tenant, DeviceId device) {
    return sql.list("SELECT group_id FROM group_members WHERE tenant_id = ? AND device_id = ? ORDER BY group_id",
        row -> row.getString(1), tenant.value(), device.value());
  }

  private static DeviceGroup map(ResultSet row) throws SQLException {
    String filter = row.getString("filter");
    return new DeviceGroup(new TenantId(row.getString("tenant_id")), row.getString("id"), row.getString("name"),
        row.getString("description"), GroupType.fromWire(row.getString("type")),
        Optional.ofNullable(filter).map(JsonColumns::filter), Millis.read(row, "created_at"),
        Millis.read(row, "updated_at"), row.getLong("version"));
  }
}
