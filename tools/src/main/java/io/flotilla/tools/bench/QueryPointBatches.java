package io.flotilla.tools.bench;

import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.telemetry.TelemetryValue;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The points of a {@link QueryDataSet} in batches of about {@code batchPoints}, in the order a server
 * receives them: by reading time across the whole fleet, as the telemetry bus hands them to the store.
 * (Device by device would store each device's points together, which no real ingest does, and would
 * flatter every per-device query.) Each batch covers a slice of time; the readings in it are sorted by
 * time, ties by device.
 */
final class QueryPointBatches implements Iterator<List<TelemetryPoint>> {
  static final TenantId TENANT = TenantId.DEFAULT;
  static final String PROFILE = "sensor";
  private static final int DEVICE_BITS = 24;
  private static final long DEVICE_MASK = (1L << DEVICE_BITS) - 1;

  private final QueryDataSet data;
  private final String[] deviceIds;
  private final long sliceMs;
  private long sliceStart;
  private long[] packed = new long[1024];

  QueryPointBatches(QueryDataSet data, int batchPoints) {
    this.data = data;
    this.deviceIds = deviceIds(data.devices());
    long slices = Math.max(1, Math.ceilDiv(data.points(), Math.max(batchPoints, QueryDataSet.KEYS.size())));
    this.sliceMs = Math.ceilDiv(data.spanMs(), slices);
    this.sliceStart = data.startMs();
  }

  /** The ids of devices {@code 0..devices-1}, as {@link SampleFleet#deviceId} names them. */
  static String[] deviceIds(int devices) {
    String[] ids = new String[devices];
    for (int i = 0; i < devices; i++) {
      ids[i] = SampleFleet.deviceId(i);
    }
    return ids;
  }

  @Override
  public boolean hasNext() {
    return sliceStart < data.startMs() + data.spanMs();
  }

  @Override
  public List<TelemetryPoint> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    long from = sliceStart;
    long to = Math.min(from + sliceMs, data.startMs() + data.spanMs());
    sliceStart = to;
    int readings = 0;
    for (int device = 0; device < data.devices(); device++) {
      long[] range = data.readingsIn(device, from, to);
      for (long j = range[0]; j < range[1]; j++) {
        if (readings == packed.length) {
          packed = Arrays.copyOf(packed, readings * 2);
        }
        packed[readings++] = (data.timeMs(device, j) - data.startMs()) << DEVICE_BITS | device;
      }
    }
    Arrays.sort(packed, 0, readings);
    List<TelemetryPoint> points = new ArrayList<>(readings * QueryDataSet.KEYS.size());
    for (int r = 0; r < readings; r++) {
      int device = (int) (packed[r] & DEVICE_MASK);
      long timeMs = data.startMs() + (packed[r] >>> DEVICE_BITS);
      Instant time = Instant.ofEpochMilli(timeMs);
      Instant received = Instant.ofEpochMilli(timeMs + QueryDataSet.delayMs(device, timeMs));
      for (int key = 0; key < QueryDataSet.KEYS.size(); key++) {
        points.add(new TelemetryPoint(TENANT, deviceIds[device], PROFILE, QueryDataSet.KEYS.get(key), time, received,
            new TelemetryValue.Num(QueryDataSet.value(device, key, timeMs))));
      }
    }
    return points;
  }
}
