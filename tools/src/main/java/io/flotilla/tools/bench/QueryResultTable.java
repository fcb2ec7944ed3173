package io.flotilla.tools.bench;

import java.util.List;
import java.util.Locale;

/** Renders the query benchmark's figures as two Markdown tables: loading, then the queries. */
final class QueryResultTable {
  private QueryResultTable() {}

  /** One row per engine: the data set, how fast it went in, and what it takes on disk. */
  static String loads(List<String> engines, List<QueryLoad> loads) {
    StringBuilder table = new StringBuilder()
        .append("| Engine | Points | Load rate (append) | Append time | Generating | Compact | Disk | Bytes/point |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < loads.size(); i++) {
      QueryLoad load = loads.get(i);
      table.append("| ").append(engines.get(i))
          .append(" | ").append(String.format(Locale.ROOT, "%,d", load.points()))
          .append(" | ").append(String.format(Locale.ROOT, "%,.0f points/s", load.pointsPerSecond()))
          .append(" | ").append(seconds(load.appendSeconds()))
          .append(" | ").append(seconds(load.generateSeconds()))
          .append(" | ").append(seconds(load.compactSeconds()))
          .append(" | ").append(bytes(load.diskBytes()))
          .append(" | ").append(String.format(Locale.ROOT, "%.1f", load.bytesPerPoint()))
          .append(" |\n");
    }
    return table.toString();
  }

  /** One row per engine and query: the rows returned and the latency percentiles. */
  static String queries(List<QueryResult> results) {
    StringBuilder table = new StringBuilder()
        .append("| Engine | Query | Rows | p50 | p99 | max | Runs |\n")
        .append("|---|---|---:|---:|---:|---:|---:|\n");
    for (QueryResult r : results) {
      table.append("| ").append(r.engine())
          .append(" | ").append(r.query())
          .append(" | ").append(r.fewestRows() == r.mostRows()
              ? String.format(Locale.ROOT, "%,d", r.mostRows())
              : String.format(Locale.ROOT, "%,d–%,d", r.fewestRows(), r.mostRows()))
          .append(" | ").append(millis(r.p50Ms()))
          .append(" | ").append(millis(r.p99Ms()))
          .append(" | ").append(millis(r.maxMs()))
          .append(" | ").append(r.repetitions())
          .append(" |\n");
    }
    return table.toString();
  }

  /** Milliseconds with two decimals below 10 ms and one below 100 ms, so that fast queries keep their figure. */
  static String millis(double ms) {
    return String.format(Locale.ROOT, ms < 10 ? "%.2f ms" : ms < 100 ? "%.1f ms" : "%,.0f ms", ms);
  }

  static String seconds(double seconds) {
    return String.format(Locale.ROOT, seconds < 10 ? "%.2f s" : "%,.1f s", seconds);
  }

  static String bytes(long bytes) {
    double mib = bytes / (1024.0 * 1024);
    return mib < 1024 ? String.format(Locale.ROOT, "%,.1f MiB", mib)
        : String.format(Locale.ROOT, "%,.2f GiB", mib / 1024);
  }
}
