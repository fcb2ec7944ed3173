package io.flotilla.store.sql;

import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How a device maps to a row of {@code devices} and its rows of {@code device_tags}. */
final class DeviceRows {
  static final String COLUMNS =
      "tenant_id, id, name, profile, status, tags, attributes, created_at, updated_at, version";
  static final String SELECT = "SELECT d.tenant_id, d.id, d.name, d.profile, d.status, d.tags, d.attributes, "
      + "d.created_at, d.updated_at, d.version FROM devices d";
  static final String INSERT = "INSERT INTO devices (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static final String INSERT_TAG = "INSERT INTO device_tags (tenant_id, device_id, key, value) VALUES (?, ?, ?, ?)";

  private DeviceRows() {}

  static Object[] values(Device device) {
    return new Object[] {device.tenant().value(), device.id().value(), device.name(), device.profile(),
        device.status().wireName(), JsonColumns.tags(device.tags()), JsonColumns.write(device.attributes()),
        Millis.of(device.createdAt()), Millis.of(device.updatedAt()), device.version()};
  }

  static List<Object[]> tagValues(List<Device> devices) {
    List<Object[]> rows = new ArrayList<>();
    for (Device device : devices) {
      for (Map.Entry<String, String> tag : device.tags().entrySet()) {
        rows.add(new Object[] {device.tenant().value(), device.id().value(), tag.getKey(), tag.getValue()});
      }
    }
    return rows;
  }

  static Device map(ResultSet row) throws SQLException {
    return new Device(new TenantId(row.getString("tenant_id")), new DeviceId(row.getString("id")),
        row.getString("name"), row.getString("profile"), DeviceStatus.fromWire("status", row.getString("status")),
        JsonColumns.tags("devices.tags", row.getString("tags")),
        JsonColumns.readObject("devices.attributes", row.getString("attributes")), Millis.read(row, "created_at"),
        Millis.read(row, "updated_at"), row.getLong("version"));
  }
}
