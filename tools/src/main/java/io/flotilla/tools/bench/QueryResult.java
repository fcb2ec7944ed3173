package io.flotilla.tools.bench;

import java.util.Objects;

/**
 * One query's figures on one engine: latency over the measured repetitions (warm-up left out), and the
 * rows each returned (the same every time, unless the queried devices differ in size).
 *
 * @param engine the engine and its version
 * @param query  what was asked, as the table shows it
 */
record QueryResult(String engine, String query, int repetitions, double p50Ms, double p99Ms, double maxMs,
    long fewestRows, long mostRows) {
  QueryResult {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(query, "query");
  }

  static QueryResult of(String engine, String query, LatencyRecorder latencies, long fewestRows, long mostRows) {
    return new QueryResult(engine, query, latencies.count(), latencies.percentileNanos(50) / 1e6,
        latencies.percentileNanos(99) / 1e6, latencies.percentileNanos(100) / 1e6, fewestRows, mostRows);
  }
}
