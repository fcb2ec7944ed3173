package io.flotilla.tools.bench;

import java.util.Objects;
import java.util.Optional;

/**
 * One row of a benchmark's results.
 *
 * @param engine the engine and its version, as the table shows it
 * @param rate operations per second
 * @param unit what the rate counts, such as {@code reads/s}
 * @param latency the operations' latency percentiles, when each operation was timed
 */
record Measurement(String engine, String measure, double rate, String unit, Optional<Percentiles> latency) {
  Measurement {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(measure, "measure");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(latency, "latency");
  }

  /** The median and 99th percentile of operation latencies, in microseconds. */
  record Percentiles(double p50Micros, double p99Micros) {
    static Percentiles of(LatencyRecorder latencies) {
      return new Percentiles(latencies.percentileNanos(50) / 1e3, latencies.percentileNanos(99) / 1e3);
    }
  }
}
