package io.flotilla.tools.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The telemetry the query benchmark stores, as pure arithmetic, so that it can be generated in any
 * order and every query's right answer recomputed without reading the store.
 *
 * <p>{@code devices} devices (ids as in {@link SampleFleet#deviceId}) each send readings of four
 * numeric keys over {@code days} whole UTC days from {@code start}. Every thousandth device (index 0,
 * 1000, 2000…) is <em>dense</em>: a reading every 10 s, so that one of its days fills all 1,440
 * one-minute buckets with 6 readings each. The others share the remaining readings evenly, each at a
 * fixed interval of its own with a phase of its own, so that their readings do not arrive in step.
 * Values follow a daily triangle wave per device with ±¼ of noise, in multiples of ¼: exact in binary,
 * so sums and averages do not depend on the order an engine adds them in. Device {@code i} is at site
 * {@code i mod 20}, as in {@link SampleFleet}.
 *
 * @param points  points in all: readings × {@link #KEYS}
 * @param start   the start of the first day (UTC midnight)
 */
record QueryDataSet(long points, int devices, int days, Instant start) {
  static final List<String> KEYS = List.of("temperature", "humidity", "pressure", "battery");
  static final int DENSE_STRIDE = 1_000;
  static final long DENSE_STEP_MS = 10_000;
  static final int SITES = 20;
  static final int MAX_DAYS = 30;
  static final int MAX_DEVICES = 1 << 24;
  static final long DAY_MS = Duration.ofDays(1).toMillis();
  private static final long HALF_DAY_S = 43_200;
  // Per key, in quarters: the wave's lowest value and its height.
  private static final int[] BASE_QUARTERS = {15 * 4, 35 * 4, 990 * 4, 60 * 4};
  private static final int[] SPAN_QUARTERS = {10 * 4, 30 * 4, 25 * 4, 35 * 4};

  QueryDataSet {
    Optional<String> problem = problem(points, devices, days);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
    if (start.toEpochMilli() % DAY_MS != 0) {
      throw new IllegalArgumentException("start must be a UTC midnight, was " + start);
    }
  }

  /** The data set whose last day is yesterday (UTC), so that every day is recent on every engine. */
  static QueryDataSet endingYesterday(long points, int devices, int days) {
    Instant today = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
    return new QueryDataSet(points, devices, days, today.minus(Duration.ofDays(days)));
  }

  /** What is wrong with these sizes, in terms of the command's options; empty when they fit. */
  static Optional<String> problem(long points, int devices, int days) {
    int keys = KEYS.size();
    if (days < 1 || days > MAX_DAYS) {
      return Optional.of("--days must be between 1 and " + MAX_DAYS + ", was " + days);
    }
    if (devices < 2 || devices > MAX_DEVICES) {
      return Optional.of("--devices must be between 2 and " + MAX_DEVICES + ", was " + devices);
    }
    if (points % keys != 0) {
      return Optional.of(String.format(Locale.ROOT, "--points must be a multiple of %d (every reading has %d keys),"
          + " was %,d", keys, keys, points));
    }
    long dense = denseDevices(devices) * (days * DAY_MS / DENSE_STEP_MS);
    long sparseDevices = devices - denseDevices(devices);
    long least = keys * (dense + sparseDevices);
    long most = keys * (dense + sparseDevices * (days * DAY_MS / 1_000));
    if (points < least || points > most) {
      return Optional.of(String.format(Locale.ROOT, "%,d devices over %d day(s) need between %,d and %,d points"
          + " (every device at least one reading, at most one a second), not %,d: change --points or --devices",
          devices, days, least, most, points));
    }
    return Optional.empty();
  }

  static int denseDevices(int devices) {
    return (devices - 1) / DENSE_STRIDE + 1;
  }

  int denseDevices() {
    return denseDevices(devices);
  }

  static boolean isDense(int device) {
    return device % DENSE_STRIDE == 0;
  }

  long readings() {
    return points / KEYS.size();
  }

  long spanMs() {
    return days * DAY_MS;
  }

  Instant end() {
    return start.plusMillis(spanMs());
  }

  /** The last day, which the device-day, fleet and raw queries read. */
  Instant lastDay() {
    return start.plusMillis(spanMs() - DAY_MS);
  }

  long startMs() {
    return start.toEpochMilli();
  }

  long denseReadingsEach() {
    return spanMs() / DENSE_STEP_MS;
  }

  int sparseDevices() {
    return devices - denseDevices();
  }

  private long sparseReadings() {
    return readings() - denseDevices() * denseReadingsEach();
  }

  /** The fewest readings a device that is not dense sends; some send one more. */
  long sparseReadingsEach() {
    return sparseReadings() / sparseDevices();
  }

  /** Readings of one device over the whole span. */
  long readingsOf(int device) {
    if (isDense(device)) {
      return denseReadingsEach();
    }
    int rank = device - (device / DENSE_STRIDE + 1);
    return sparseReadingsEach() + (rank < sparseReadings() % sparseDevices() ? 1 : 0);
  }

  /** Milliseconds between two readings of the device. */
  long stepMs(int device) {
    return isDense(device) ? DENSE_STEP_MS : spanMs() / readingsOf(device);
  }

  /** The offset of the device's first reading from {@link #start}, less than its step. */
  long phaseMs(int device) {
    return Math.floorMod(mix(device, 7), stepMs(device));
  }

  /** The time of reading {@code j} of the device, in epoch milliseconds. */
  long timeMs(int device, long j) {
    return startMs() + phaseMs(device) + j * stepMs(device);
  }

  /** The first reading of the device at or after {@code fromMs}, and the one after its last before {@code toMs}. */
  long[] readingsIn(int device, long fromMs, long toMs) {
    long origin = startMs() + phaseMs(device);
    long step = stepMs(device);
    long n = readingsOf(device);
    long first = Math.clamp(Math.ceilDiv(fromMs - origin, step), 0, n);
    long end = Math.clamp(Math.ceilDiv(toMs - origin, step), first, n);
    return new long[] {first, end};
  }

  /** How long after its reading time the server received it. */
  static long delayMs(int device, long timeMs) {
    return 50 + Math.floorMod(mix(device, timeMs), 950);
  }

  /** The value of one key of the device's reading at {@code timeMs}. */
  static double value(int device, int key, long timeMs) {
    long second = Math.floorMod(timeMs / 1_000 + mix(device, 11) % 86_400, 2 * HALF_DAY_S);
    long wave = Math.abs(second - HALF_DAY_S) * SPAN_QUARTERS[key] / HALF_DAY_S;
    long noise = Math.floorMod(mix(device * 4L + key, timeMs), 3) - 1;
    return (BASE_QUARTERS[key] + wave + noise) / 4.0;
  }

  static String site(int device) {
    return String.format(Locale.ROOT, "site-%02d", device % SITES + 1);
  }

  /** One line for the output: "100,000,000 points: 100,000 devices × 4 numeric keys (…) over 1 day from …". */
  String describe() {
    long sparseStep = spanMs() / sparseReadingsEach();
    return String.format(Locale.ROOT, "%,d points: %,d devices × %d numeric keys (%s) over %d day%s from %s (UTC);"
        + " %,d device%s (every %,dth) report%s every 10 s (%,d readings a day), the other %,d about every %s"
        + " (%,d–%,d readings each); %d sites.", points, devices, KEYS.size(), String.join(", ", KEYS), days,
        days == 1 ? "" : "s", LocalDate.ofInstant(start, ZoneOffset.UTC), denseDevices(),
        denseDevices() == 1 ? "" : "s", DENSE_STRIDE, denseDevices() == 1 ? "s" : "", DAY_MS / DENSE_STEP_MS,
        sparseDevices(), interval(sparseStep), sparseReadingsEach(), sparseReadingsEach() + 1, SITES);
  }

  private static String interval(long ms) {
    return ms < 120_000 ? String.format(Locale.ROOT, "%.0f s", ms / 1e3)
        : String.format(Locale.ROOT, "%,.1f min", ms / 60e3);
  }

  /** A well-spread hash (SplitMix64's finalizer), so phases and noise look random yet are reproducible. */
  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
