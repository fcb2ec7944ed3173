package io.flotilla.tools.bench;

import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.telemetry.TelemetryStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The query benchmark's work on one store: load a {@link QueryDataSet} through
 * {@link TelemetryStore#append} in large batches, then run each of {@link QueryCases} one at a time, first
 * unmeasured to warm up, then measured, each repetition on another device (or key), each answer checked.
 */
final class QueryWorkload {
  static final String DEVICE_DAY = "one device-day at 1-min buckets (4 keys × 7 aggregates)";
  static final String LATEST = "latest values of every device (%,d × 4 keys)";
  static final String FLEET = "fleet: hourly avg of one key per site (20 sites, %,d devices, 1 day)";
  static final String RAW = "raw points of one device-hour, pages of %,d";

  /**
   * @param warmUp      unmeasured repetitions of each query before the measured ones
   * @param repeat      measured repetitions of each query
   * @param batchPoints points per {@code append} call
   */
  record Settings(int warmUp, int repeat, int batchPoints) {}

  private final Settings settings;
  private final PrintWriter progress;

  QueryWorkload(Settings settings, PrintWriter progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Appends the whole data set to the (empty) store, then compacts it as the server's lifecycle job would. */
  QueryLoad load(String name, TelemetryStore store, QueryDataSet data) {
    QueryPointBatches batches = new QueryPointBatches(data, settings.batchPoints());
    long generateNanos = 0;
    long appendNanos = 0;
    long loaded = 0;
    long reportEvery = Math.max(data.points() / 10, 1);
    long nextReport = reportEvery;
    while (batches.hasNext()) {
      long start = System.nanoTime();
      List<TelemetryPoint> points = batches.next();
      long generated = System.nanoTime();
      store.append(points, List.of());
      appendNanos += System.nanoTime() - generated;
      generateNanos += generated - start;
      loaded += points.size();
      if (loaded >= nextReport || !batches.hasNext()) {
        progress.printf(Locale.ROOT, "%s: appended %,d / %,d points (%,.0f points/s in append)%n", name, loaded,
            data.points(), loaded / (appendNanos / 1e9));
        progress.flush();
        nextReport = (loaded / reportEvery + 1) * reportEvery;
      }
    }
    if (loaded != data.points()) {
      throw new IllegalStateException("The generator made " + loaded + " points of a data set of " + data.points());
    }
    progress.printf("%s: compacting (DuckDB CHECKPOINT, PostgreSQL VACUUM ANALYZE)%n", name);
    progress.flush();
    long start = System.nanoTime();
    store.compact();
    long compactNanos = System.nanoTime() - start;
    return new QueryLoad(loaded, appendNanos / 1e9, generateNanos / 1e9, compactNanos / 1e9, store.diskBytes(),
        false);
  }

  /** Runs every query on the loaded store and checks every answer; a wrong one throws {@link QueryWrongAnswer}. */
  List<QueryResult> measure(String name, String engine, TelemetryStore store, QueryDataSet data) {
    QueryCases cases = new QueryCases(store, data);
    return List.of(
        repeat(name, engine, DEVICE_DAY, cases::deviceDay),
        repeat(name, engine, String.format(Locale.ROOT, LATEST, data.devices()), cases::latest),
        repeat(name, engine, String.format(Locale.ROOT, FLEET, data.devices()), cases::fleet),
        repeat(name, engine, String.format(Locale.ROOT, RAW, QueryCases.RAW_PAGE), cases::rawHour));
  }

  private QueryResult repeat(String name, String engine, String query, IntFunction<QueryCases.Run> repetition) {
    progress.printf(Locale.ROOT, "%s: %s, %d warm-up and %d measured runs%n", name, query, settings.warmUp(),
        settings.repeat());
    progress.flush();
    LatencyRecorder latencies = new LatencyRecorder();
    long fewest = Long.MAX_VALUE;
    long most = 0;
    for (int rep = 0; rep < settings.warmUp() + settings.repeat(); rep++) {
      QueryCases.Run run = repetition.apply(rep);
      if (rep >= settings.warmUp()) {
        latencies.record(run.nanos());
        fewest = Math.min(fewest, run.rows());
        most = Math.max(most, run.rows());
      }
    }
    QueryResult result = QueryResult.of(engine, query, latencies, fewest, most);
    progress.printf(Locale.ROOT, "%s: p50 %s, p99 %s, max %s; %,d rows; every answer right%n", name,
        QueryResultTable.millis(result.p50Ms()), QueryResultTable.millis(result.p99Ms()),
        QueryResultTable.millis(result.maxMs()), most);
    progress.flush();
    return result;
  }
}
