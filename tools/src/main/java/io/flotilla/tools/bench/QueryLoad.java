package io.flotilla.tools.bench;

/**
 * How loading a data set went.
 *
 * @param appendSeconds   time spent in {@code TelemetryStore.append}, which the load rate counts
 * @param generateSeconds time spent making the points, between appends, not counted in the rate
 * @param compactSeconds  time of the {@code compact()} after loading (DuckDB CHECKPOINT, PostgreSQL VACUUM ANALYZE)
 * @param diskBytes       what the store occupies afterwards, as {@code TelemetryStore.diskBytes()} reports it
 * @param reused          whether the data set was loaded by an earlier run (the times are that run's)
 */
record QueryLoad(long points, double appendSeconds, double generateSeconds, double compactSeconds, long diskBytes,
    boolean reused) {

  double pointsPerSecond() {
    return points / appendSeconds;
  }

  double bytesPerPoint() {
    return (double) diskBytes / points;
  }

  QueryLoad reusedWith(long diskBytesNow) {
    return new QueryLoad(points, appendSeconds, generateSeconds, compactSeconds, diskBytesNow, true);
  }
}
