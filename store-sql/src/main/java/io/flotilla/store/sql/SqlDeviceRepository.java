package io.flotilla.store.sql;

import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceCursor;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceSort;
import io.flotilla.core.store.DeviceRepository;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.tenant.TenantId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

final class SqlDeviceRepository implements DeviceRepository {
  /** Ids per IN list: far below both engines' parameter limits, and a handful of round trips for big sets. */

  private final JdbcSession sql;

  SqlDeviceRepository(JdbcSession sql) {
    this.sql = sql;
  }

  // ON CONFLICT DO NOTHING reports a duplicate without an error, which on PostgreSQL would
  // abort the transaction: callers may catch the exception and go on, on both engines.
  @Override
  public void insert(Device device) {
    if (sql.update(DeviceRows.INSERT + " ON CONFLICT DO NOTHING", DeviceRows.values(device)) == 0) {
      throw new DuplicateKeyException("device '" + device.id() + "' exists already in tenant '"
          + device.tenant() + "'", null);
    }
    sql.batch(DeviceRows.INSERT_TAG, DeviceRows.tagValues(List.of(device)));
  }

  @Override
  public void insertAll(List<Device> devices) {
    if (devices.isEmpty()) {
      return;
    }
    sql.atomically(() -> {
      sql.batch(DeviceRows.INSERT, devices.stream().map(DeviceRows::values).toList());
      sql.batch(DeviceRows.INSERT_TAG, DeviceRows.tagValues(devices));
    });
  }

  @Override
  public Optional<Device> find(TenantId tenant, DeviceId id) {
    return sql.one(DeviceRows.SELECT + " WHERE d.tenant_id = ? AND d.id = ?", DeviceRows::map, tenant.value(),
        id.value());
  }

  @Override
  public Set<DeviceId> existing(TenantId tenant, Collection<DeviceId> ids) {
    return DeviceIdLookup.existing(sql, "devices", "id", tenant, ids);
  }

  @Override
  public boolean update(Device device, long expectedVersion) {
    boolean updated = sql.update("UPDATE devices SET name = ?, profile = ?, status = ?, tags = ?, attributes = ?, "
            + "created_at = ?, updated_at = ?, version = ? WHERE tenant_id = ? AND id = ? AND version = ?",
        device.name(), device.profile(), device.status().wireName(), JsonColumns.tags(device.tags()),
        JsonColumns.write(device.attributes()), Millis.of(device.createdAt()), Millis.of(device.updatedAt()),
        device.version(), device.tenant().value(), device.id().value(), expectedVersion) == 1;
    if (updated) {
      sql.update("DELETE FROM device_tags WHERE tenant_id = ? AND device_id = ?", device.tenant().value(),
          device.id().value());
      sql.batch(DeviceRows.INSERT_TAG, DeviceRows.tagValues(List.of(device)));
    }
    return updated;
  }

  // Tags and memberships go with the device: both tables refer to devices ON DELETE CASCADE.
  @Override
  public boolean delete(TenantId tenant, DeviceId id) {
    return sql.update("DELETE FROM devices WHERE tenant_id = ? AND id = ?", tenant.value(), id.value()) == 1;
  }

  @Override
  public List<Device> list(TenantId tenant, List<DeviceFilter> filters, DeviceSort sort,
      Optional<DeviceCursor> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    DeviceConditions conditions = DeviceConditions.matching(tenant, filters);
    after.ifPresent(cursor -> conditions.after(sort, cursor));
    List<Object> params = new ArrayList<>(List.of(conditions.params()));
    params.add(limit);
    return sql.list(DeviceRows.SELECT + conditions.where() + DeviceConditions.orderBy(sort) + " LIMIT ?",
        DeviceRows::map, params.toArray());
  }

  @Override
  public long count(TenantId tenant, List<DeviceFilter> filters) {
    DeviceConditions conditions = DeviceConditions.matching(tenant, filters);
    return sql.count("SELECT COUNT(*) FROM devices d" + conditions.where(), conditions.params());
  }

  @Override
  public long countByProfile(TenantId tenant, String profile) {
    return sql.count("SELECT COUNT(*) FROM devices WHERE tenant_id = ? AND profile = ?", tenant.value(), profile);
  }
}
