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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hot map (tenant, device) → key → newest value, mirrored by the {@code telemetry_latest} table. The
 * table is written behind the map ({@link LatestFlusher}), not in each append's transaction: upserting the
 * latest values cost more than appending the points. Values changed since the last write are kept as dirty;
 * what a crash loses of them is rebuilt at open from the points received after the flush watermark. A value
 * only replaces one at the same or an earlier reading time, in memory and on disk alike.
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

  /** Name of the flush watermark in {@code telemetry_state}: points received from it on may be unflushed. */
  static final String FLUSHED = "latest_flushed_us";

  private record DeviceRef(String tenant, String deviceId) {
  }

  /** One latest value with the device it belongs to, as the flusher writes it. */
  record Entry(String tenant, LatestValue value) {
  }

  private record EntryKey(String tenant, String deviceId, String key) {
  }

  private final Map<DeviceRef, Map<String, LatestValue>> values = new ConcurrentHashMap<>();
  private final Map<EntryKey, Entry> dirty = new ConcurrentHashMap<>();
  private final AtomicLong newestReceivedUs = new AtomicLong();

  /** The newest point of each (tenant, device, key) of a batch, the only ones that can change a latest value. */
  static Collection<TelemetryPoint> newestPerKey(List<TelemetryPoint> points) {
    Map<List<String>, TelemetryPoint> newest = new LinkedHashMap<>();
    for (TelemetryPoint point : points) {
      newest.merge(List.of(point.tenant().value(), point.deviceId(), point.key()), point,
          (a, b) -> b.time().compareTo(a.time()) >= 0 ? b : a);
    }
    return newest.values();
  }

  static List<Object[]> stageRows(Collection<Entry> entries) {
    List<Object[]> rows = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      Object[] value = ValueColumns.of(e.value().value());
      rows.add(new Object[] {e.tenant(), e.value().deviceId(), e.value().key(), EpochMicros.of(e.value().time()),
          value[0], value[1], value[2], value[3], value[4]});
    }
    return rows;
  }

  /**
   * Fills the map from the table, then from the points received since the flush watermark (the newest of
   * each key), which the table may lack after a crash; those are marked dirty so the next flush writes them.
   */
  void load(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT tenant, device_id, key, time_us, " + ValueColumns.NAMES + " FROM telemetry_latest");
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        offer(rs.getString(1), new LatestValue(rs.getString(2), rs.getString(3),
            EpochMicros.toInstant(rs.getLong(4)), ValueColumns.read(rs, 5)), false);
      }
    }
    try (PreparedStatement statement = connection.prepareStatement("SELECT tenant, device_id, key, time_us, "
        + ValueColumns.NAMES + ", received_us FROM (SELECT tenant, device_id, key, time_us, " + ValueColumns.NAMES
        + ", received_us, row_number() OVER (PARTITION BY tenant, device_id, key ORDER BY time_us DESC, seq DESC)"
        + " AS newest FROM telemetry_points WHERE received_us >= (SELECT value FROM telemetry_state WHERE name = '"
        + FLUSHED + "')) tail WHERE newest = 1")) {
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          offer(rs.getString(1), new LatestValue(rs.getString(2), rs.getString(3),
              EpochMicros.toInstant(rs.getLong(4)), ValueColumns.read(rs, 5)), true);
          newestReceivedUs.accumulateAndGet(rs.getLong(10), Math::max);
        }
      }
    }
  }

  /** Called after the batch committed. */
  void offerAll(Collection<TelemetryPoint> newest) {
    long received = 0;
    for (TelemetryPoint p : newest) {
      Instant time = EpochMicros.toInstant(EpochMicros.of(p.time()));
      offer(p.tenant().value(), new LatestValue(p.deviceId(), p.key(), time, p.value()), true);
      received = Math.max(received, EpochMicros.of(p.receivedAt()));
    }
    newestReceivedUs.accumulateAndGet(received, Math::max);
  }

  private void offer(String tenant, LatestValue value, boolean markDirty) {
    LatestValue kept = values.computeIfAbsent(new DeviceRef(tenant, value.deviceId()), ref -> new ConcurrentHashMap<>())
        .merge(value.key(), value, (old, candidate) -> candidate.time().compareTo(old.time()) >= 0 ? candidate : old);
    if (markDirty && kept == value) {
      dirty.put(new EntryKey(tenant, value.deviceId(), value.key()), new Entry(tenant, value));
    }
  }

  /** The newest receive time of any value offered so far, in epoch microseconds (0 when none). */
  long newestReceivedUs() {
    return newestReceivedUs.get();
  }

  /** The values changed since they were last written; {@link #written} forgets them once they are. */
  List<Entry> dirtyEntries() {
    return List.copyOf(dirty.values());
  }

  /** Forgets the written entries, unless a newer value replaced one meanwhile (it stays dirty). */
  void written(Collection<Entry> entries) {
    for (Entry e : entries) {
      dirty.remove(new EntryKey(e.tenant(), e.value().deviceId(), e.value().key()), e);
    }
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
    dirty.keySet().removeIf(k -> k.tenant().equals(tenant.value()) && k.deviceId().equals(deviceId));
  }
}
