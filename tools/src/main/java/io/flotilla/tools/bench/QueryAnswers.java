package io.flotilla.tools.bench;

import io.flotilla.core.telemetry.Aggregate;
import io.flotilla.core.telemetry.BucketValue;
import io.flotilla.core.telemetry.FleetBucket;
import io.flotilla.core.telemetry.LatestValue;
import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.telemetry.TelemetryValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The right answer to each benchmark query, recomputed from the {@link QueryDataSet}'s arithmetic, and
 * the checks that throw {@link QueryWrongAnswer} when a store's answer differs. Sums of the data set's
 * values are exact in binary, so aggregates must match to the last bit but for the final division
 * (allowed a relative 1e-9).
 */
final class QueryAnswers {
  static final long MINUTE_MS = 60_000;
  static final long HOUR_MS = 3_600_000;
  private static final double TOLERANCE = 1e-9;
  private static final int KEYS = QueryDataSet.KEYS.size();
  /** Key indexes in the byte order of their names, as stores sort keys. */
  private static final Integer[] KEYS_SORTED = keysSorted();

  private final QueryDataSet data;
  private final String[] deviceIds;
  private FleetTotals fleet;

  QueryAnswers(QueryDataSet data) {
    this.data = data;
    this.deviceIds = QueryPointBatches.deviceIds(data.devices());
  }

  /** Checks the 1-minute buckets of every key of one device over the last day, all aggregates. */
  void checkDeviceDay(int device, List<BucketValue> actual) {
    long dayMs = data.lastDay().toEpochMilli();
    List<BucketValue> expected = new ArrayList<>();
    for (int key : KEYS_SORTED) {
      long[] range = data.readingsIn(device, dayMs, dayMs + QueryDataSet.DAY_MS);
      long j = range[0];
      while (j < range[1]) {
        long bucket = dayMs + (data.timeMs(device, j) - dayMs) / MINUTE_MS * MINUTE_MS;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double first = QueryDataSet.value(device, key, data.timeMs(device, j));
        double last = first;
        long count = 0;
        for (; j < range[1] && data.timeMs(device, j) < bucket + MINUTE_MS; j++) {
          last = QueryDataSet.value(device, key, data.timeMs(device, j));
          sum += last;
          min = Math.min(min, last);
          max = Math.max(max, last);
          count++;
        }
        expected.add(new BucketValue(QueryDataSet.KEYS.get(key), Instant.ofEpochMilli(bucket),
            Map.of(Aggregate.AVG, sum / count, Aggregate.MIN, min, Aggregate.MAX, max, Aggregate.SUM, sum,
                Aggregate.COUNT, (double) count, Aggregate.FIRST, first, Aggregate.LAST, last)));
      }
    }
    String what = "the 1-minute buckets of " + deviceIds[device];
    sameSize(what, expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      BucketValue e = expected.get(i);
      BucketValue a = actual.get(i);
      if (!e.key().equals(a.key()) || !e.bucketStart().equals(a.bucketStart()) || !close(e.values(), a.values())) {
        throw new QueryWrongAnswer(what + ": row " + i + " should be " + e + ", was " + a);
      }
    }
  }

  /** Points that the device-day query should count: the device's readings on the last day, times the keys. */
  long pointsOnLastDay(int device) {
    long dayMs = data.lastDay().toEpochMilli();
    long[] range = data.readingsIn(device, dayMs, dayMs + QueryDataSet.DAY_MS);
    return (range[1] - range[0]) * KEYS;
  }

  /** Checks the latest values of every device (in {@code 0..devices-1} order) and every key. */
  void checkLatest(List<LatestValue> actual) {
    sameSize("the latest values", (long) data.devices() * KEYS, actual.size());
    int i = 0;
    for (int device = 0; device < data.devices(); device++) {
      long timeMs = data.timeMs(device, data.readingsOf(device) - 1);
      for (int key : KEYS_SORTED) {
        LatestValue expected = new LatestValue(deviceIds[device], QueryDataSet.KEYS.get(key),
            Instant.ofEpochMilli(timeMs), new TelemetryValue.Num(QueryDataSet.value(device, key, timeMs)));
        if (!expected.equals(actual.get(i))) {
          throw new QueryWrongAnswer("latest value " + i + " should be " + expected + ", was " + actual.get(i));
        }
        i++;
      }
    }
  }

  /** Checks the hourly average of one key per site over the last day, with the devices counted in each. */
  void checkFleet(int key, List<FleetBucket> actual) {
    FleetTotals totals = fleetTotals();
    long dayMs = data.lastDay().toEpochMilli();
    List<FleetBucket> expected = new ArrayList<>();
    for (int site = 0; site < QueryDataSet.SITES; site++) {
      for (int hour = 0; hour < 24; hour++) {
        if (totals.points[site][hour] > 0) {
          expected.add(new FleetBucket(QueryDataSet.site(site), Instant.ofEpochMilli(dayMs + hour * HOUR_MS),
              totals.sums[key][site][hour] / totals.points[site][hour], totals.devices[site][hour]));
        }
      }
    }
    String what = "the hourly " + QueryDataSet.KEYS.get(key) + " per site";
    sameSize(what, expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      FleetBucket e = expected.get(i);
      FleetBucket a = actual.get(i);
      if (!e.group().equals(a.group()) || !e.bucketStart().equals(a.bucketStart()) || e.devices() != a.devices()
          || !close(e.value(), a.value())) {
        throw new QueryWrongAnswer(what + ": row " + i + " should be " + e + ", was " + a);
      }
    }
  }

  /** Checks the raw points of one device in {@code [from, to)}: every key of every reading, by time then key. */
  void checkRaw(int device, Instant from, Instant to, List<TelemetryPoint> actual) {
    long[] range = data.readingsIn(device, from.toEpochMilli(), to.toEpochMilli());
    String what = "the raw points of " + deviceIds[device] + " from " + from;
    sameSize(what, (range[1] - range[0]) * KEYS, actual.size());
    int i = 0;
    for (long j = range[0]; j < range[1]; j++) {
      long timeMs = data.timeMs(device, j);
      Instant time = Instant.ofEpochMilli(timeMs);
      Instant received = Instant.ofEpochMilli(timeMs + QueryDataSet.delayMs(device, timeMs));
      for (int key : KEYS_SORTED) {
        TelemetryPoint expected = new TelemetryPoint(QueryPointBatches.TENANT, deviceIds[device],
            QueryPointBatches.PROFILE, QueryDataSet.KEYS.get(key), time, received,
            new TelemetryValue.Num(QueryDataSet.value(device, key, timeMs)));
        if (!expected.equals(actual.get(i))) {
          throw new QueryWrongAnswer(what + ": point " + i + " should be " + expected + ", was " + actual.get(i));
        }
        i++;
      }
    }
  }

  private static void sameSize(String what, long expected, long actual) {
    if (expected != actual) {
      throw new QueryWrongAnswer(String.format(Locale.ROOT, "%s: %,d rows expected, %,d returned", what, expected,
          actual));
    }
  }

  private static boolean close(Map<Aggregate, Double> expected, Map<Aggregate, Double> actual) {
    if (!expected.keySet().equals(actual.keySet())) {
      return false;
    }
    return expected.entrySet().stream().allMatch(e -> close(e.getValue(), actual.get(e.getKey())));
  }

  private static boolean close(double expected, double actual) {
    return Math.abs(expected - actual) <= TOLERANCE * Math.max(1, Math.abs(expected));
  }

  /** Per site and hour of the last day: the sum of each key, the readings, and the devices that sent them. */
  private record FleetTotals(double[][][] sums, long[][] points, long[][] devices) {}

  private FleetTotals fleetTotals() {
    if (fleet == null) {
      long dayMs = data.lastDay().toEpochMilli();
      FleetTotals totals = new FleetTotals(new double[KEYS][QueryDataSet.SITES][24], new long[QueryDataSet.SITES][24],
          new long[QueryDataSet.SITES][24]);
      for (int device = 0; device < data.devices(); device++) {
        int site = device % QueryDataSet.SITES;
        long[] range = data.readingsIn(device, dayMs, dayMs + QueryDataSet.DAY_MS);
        int lastHour = -1;
        for (long j = range[0]; j < range[1]; j++) {
          long timeMs = data.timeMs(device, j);
          int hour = (int) ((timeMs - dayMs) / HOUR_MS);
          totals.points[site][hour]++;
          if (hour != lastHour) {
            totals.devices[site][hour]++;
            lastHour = hour;
          }
          for (int key = 0; key < KEYS; key++) {
            totals.sums[key][site][hour] += QueryDataSet.value(device, key, timeMs);
          }
        }
      }
      fleet = totals;
    }
    return fleet;
  }

  private static Integer[] keysSorted() {
    Integer[] keys = new Integer[KEYS];
    Arrays.setAll(keys, i -> i);
    Arrays.sort(keys, Comparator.comparing(QueryDataSet.KEYS::get));
    return keys;
  }
}
