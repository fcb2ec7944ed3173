package io.flotilla.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Renders {@link IngestResults} as Markdown: one row per measure, one column per target, then one
 * column per pair of a Flotilla engine and a peer with Flotilla's figure divided by the peer's. A
 * target that could not be measured shows {@code unavailable}; a figure a peer cannot have (per
 * stored point) a dash. Then how the embedded engine stands against the aims of the telemetry
 * issue.
 */
final class IngestTable {
  /** The aim for the embedded engine: data points stored durably per second at full load. */
  static final double POINTS_AIM = 100_000;
  /** The aim for acknowledgement latency at half that load: p99 under 50 ms. */
  static final double P99_AIM_MICROS = 50_000;
  private static final String NONE = "–";

  private IngestTable() {}

  static String markdown(IngestResults results) {
    List<IngestTarget> targets = results.targets();
    List<IngestTarget> ours = targets.stream().filter(IngestTarget::stores).toList();
    List<IngestTarget> peers = targets.stream().filter(t -> !t.stores()).toList();
    StringBuilder table = new StringBuilder("| Measure |");
    StringBuilder rule = new StringBuilder("|---|");
    for (IngestTarget target : targets) {
      table.append(' ').append(target.displayName()).append(" |");
      rule.append("---:|");
    }
    for (IngestTarget flotilla : ours) {
      for (IngestTarget peer : peers) {
        table.append(' ').append(ratioName(flotilla, peer)).append(" |");
        rule.append("---:|");
      }
    }
    table.append('\n').append(rule).append('\n');
    for (IngestMeasure measure : results.measures()) {
      table.append("| ").append(measure.label()).append(" |");
      for (IngestTarget target : targets) {
        table.append(' ').append(cell(results, measure, target)).append(" |");
      }
      for (IngestTarget flotilla : ours) {
        for (IngestTarget peer : peers) {
          table.append(' ').append(measure.storingOnly() ? NONE
              : MqttComparisonTable.ratio(results.value(measure, flotilla), results.value(measure, peer))).append(" |");
        }
      }
      table.append('\n');
    }
    return table.toString();
  }

  /** The heading of a ratio column, such as {@code DuckDB/Mosquitto}. */
  static String ratioName(IngestTarget flotilla, IngestTarget peer) {
    return flotilla.displayName().replace("Flotilla + ", "") + "/" + peer.displayName();
  }

  private static String cell(IngestResults results, IngestMeasure measure, IngestTarget target) {
    if (measure.storingOnly() && !target.stores()) {
      return NONE;
    }
    return results.value(measure, target).map(v -> measure.unit().format(v)).orElse("unavailable");
  }

  /**
   * The telemetry issue's aims for the embedded engine, one line each: at least 100,000 data
   * points/s stored durably at full load, and p99 publish→PUBACK under 50 ms at half that load.
   */
  static List<String> aims(IngestResults results) {
    List<String> lines = new ArrayList<>();
    if (!results.targets().contains(IngestTarget.DUCKDB)) {
      return lines;
    }
    Optional<Double> full = results.value(IngestMeasure.FULL_POINTS, IngestTarget.DUCKDB);
    lines.add("Aim, at least " + ResultTable.rate(POINTS_AIM) + " data points/s stored durably on the embedded"
        + " engine (DuckDB): " + full.map(v -> ResultTable.rate(v) + ", " + (v >= POINTS_AIM ? "met" : "not met"))
            .orElse("not measured") + ".");
    Optional<Double> p99 = results.value(IngestMeasure.AIM_P99, IngestTarget.DUCKDB);
    Optional<Double> paced = results.value(IngestMeasure.AIM_POINTS, IngestTarget.DUCKDB);
    if (p99.isEmpty() || paced.isEmpty()) {
      lines.add("Aim, p99 publish→PUBACK under 50 ms at half that load: not measured"
          + (full.isPresent() ? " (the full load stayed below it)." : "."));
    } else {
      lines.add(String.format(Locale.ROOT, "Aim, p99 publish→PUBACK under 50 ms at half that load: %s at %s data"
              + " points/s, %s.", ResultTable.micros(p99.get()), ResultTable.rate(paced.get()),
          p99.get() < P99_AIM_MICROS ? "met" : "not met"));
    }
    return lines;
  }
}
