package io.flotilla.store.timeseries;

import io.flotilla.core.telemetry.LatestValue;
import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.tenant.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hot map (tenant, device) → key → newest value, mirrored by the {@code telemetry_latest} table, which
 * is written in the same transaction as the points and loaded at open. A value only replaces one at the
 * same or an earlier reading time, in memory and on disk alike.
 */
final class LatestValues {
  static final String UPSERT_FROM_STAGE = """
      INSERT INTO telemetry_latest (tenant, device_id, key, time_us, kind, value_num, value_bool, value_text, value_json)
      SELECT tenant, device_id, key, time_us, kind, value_num, value_bool, value_text, value_json
      FROM telemetry_latest_stage ORDER BY tenant, device_id, key
      ON CONFLICT (tenant, device_id, key) DO UPDATE SET time_us = excluded.time_us, kind = excluded.kind,
        value_num = excluded.value_num, value_bool = excluded.value_bool, value_text = excluded.value_text,
        value_json = excluded.value_json
      WHERE excluded.time_us >= telemetry_latest.time_us""";
  static final String STAGE_COLUMNS = "tenant, device_id, key, time_us, " + ValueColumns.NAMES;

  private record DeviceRef(String tenant, String deviceId) {
  }

  private final Map<DeviceRef, Map<String, LatestValue>> values = new ConcurrentHashMap<>();

  /** The newest point of each (tenant, device, key) of a batch, the only ones that can change a latest value. */
  static Collection<TelemetryPoint> newestPerKey(List<TelemetryPoint> points) {
    Map<List<String>, TelemetryPoint> newest = new LinkedHashMap<>();
    for (TelemetryPoint point : points) {
      newest.merge(List.of(point.tenant().value(), point.deviceId(), point.key()), point,
          (a, b) -> b.time().compareTo(a.time()) >= 0 ? b : a);
    }
    return newest.values();
  }

  static List<Object[]> stageRows(Collection<TelemetryPoint> newest) {
    List<Object[]> rows = new ArrayList<>(newest.size());
    for (TelemetryPoint p : newest) {
      Object[] value = ValueColumns.of(p.value());
      rows.add(new Object[] {p.tenant().value(), p.deviceId(), p.key(), EpochMicros.of(p.time()),
          value[0], value[1], value[2], value[3], value[4]});
    }
    return rows;
  }

  void load(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT tenant, device_id, key, time_us, " + ValueColumns.NAMES + " FROM telemetry_latest");
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        offer(rs.getString(1), new LatestValue(rs.getString(2), rs.getString(3),
            EpochMicros.toInstant(rs.getLong(4)), ValueColumns.read(rs, 5)));
      }
    }
  }

  /** Called after the batch committed. */
  void offerAll(Collection<TelemetryPoint> newest) {
    for (TelemetryPoint p : newest) {
      Instant time = EpochMicros.toInstant(EpochMicros.of(p.time()));
      offer(p.tenant().value(), new LatestValue(p.deviceId(), p.key(), time, p.value()));
    }
  }

  private void offer(String tenant, LatestValue value) {
    values.computeIfAbsent(new DeviceRef(tenant, value.deviceId()), ref -> new ConcurrentHashMap<>())
        .merge(value.key(), value, (old, candidate) -> candidate.time().compareTo(old.time()) >= 0 ? candidate : old);
  }

  List<LatestValue> get(TenantId tenant, Collection<String> deviceIds, Set<String> keys) {
    List<LatestValue> found = new ArrayList<>();
    for (String deviceId : deviceIds) {
      Map<String, LatestValue> ofDevice = values.get(new DeviceRef(tenant.value(), deviceId));
      if (ofDevice == null) {
        continue;
      }
      List<LatestValue> device = new ArrayList<>();
      for (LatestValue value : ofDevice.values()) {
        if (keys.isEmpty() || keys.contains(value.key())) {
          device.add(value);
        }
      }
      device.sort(Comparator.comparing(LatestValue::key));
      found.addAll(device);
    }
    return found;
  }

  void removeDevice(TenantId tenant, String deviceId) {
    values.remove(new DeviceRef(tenant.value(), deviceId));
  }
}
