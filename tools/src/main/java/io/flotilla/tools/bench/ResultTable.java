package io.flotilla.tools.bench;

import java.util.List;
import java.util.Locale;

/** Renders measurements as a Markdown table, one row per engine and measure. */
final class ResultTable {
  private static final String NONE = "–";

  private ResultTable() {}

  static String markdown(List<Measurement> measurements) {
    StringBuilder table = new StringBuilder()
        .append("| Engine | Measure | Throughput | p50 | p99 |\n")
        .append("|---|---|---:|---:|---:|\n");
    for (Measurement m : measurements) {
      table.append("| ").append(m.engine())
          .append(" | ").append(m.measure())
          .append(" | ").append(rate(m.rate())).append(' ').append(m.unit())
          .append(" | ").append(m.latency().map(l -> micros(l.p50Micros())).orElse(NONE))
          .append(" | ").append(m.latency().map(l -> micros(l.p99Micros())).orElse(NONE))
          .append(" |\n");
    }
    return table.toString();
  }

  /** Whole operations per second, with decimals below 10/s, so that a slow measure does not show as 0. */
  static String rate(double perSecond) {
    return String.format(Locale.ROOT, perSecond < 1 ? "%.2f" : perSecond < 10 ? "%.1f" : "%,.0f", perSecond);
  }

  /** Whole microseconds, with one decimal below 10 µs, where rounding would hide too much. */
  static String micros(double micros) {
    return String.format(Locale.ROOT, micros < 10 ? "%.1f µs" : "%,.0f µs", micros);
  }
}
