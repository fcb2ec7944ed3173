package io.flotilla.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Renders an {@link MqttComparison} as Markdown: one row per measure, one column per broker, and
 * when Flotilla was among them one column per peer with Flotilla's figure divided by the peer's.
 * A broker that could not be measured shows {@code unavailable}, a measure left out on purpose its
 * remark (such as {@code skipped}), and a figure a broker cannot have (the heap of one that is not
 * a JVM) a dash. Then the notes, and how Flotilla stands against the
 * aims of its issue.
 */
final class MqttComparisonTable {
  private static final String NONE = "–";
  /** The aim for memory: less heap than this per idle connected device. */
  static final double HEAP_AIM_BYTES = 10 * 1024;

  private MqttComparisonTable() {}

  static String markdown(MqttComparison comparison) {
    List<BrokerKind> brokers = comparison.brokers();
    List<BrokerKind> peers = brokers.contains(BrokerKind.FLOTILLA)
        ? brokers.stream().filter(b -> b != BrokerKind.FLOTILLA).toList() : List.of();
    StringBuilder table = new StringBuilder("| Measure |");
    StringBuilder rule = new StringBuilder("|---|");
    for (BrokerKind broker : brokers) {
      table.append(' ').append(broker.displayName()).append(" |");
      rule.append("---:|");
    }
    for (BrokerKind peer : peers) {
      table.append(" Flotilla/").append(peer.displayName()).append(" |");
      rule.append("---:|");
    }
    table.append('\n').append(rule).append('\n');
    for (MqttMeasure measure : comparison.measures()) {
      table.append("| ").append(measure.label()).append(" |");
      for (BrokerKind broker : brokers) {
        table.append(' ').append(cell(comparison, measure, broker)).append(" |");
      }
      for (BrokerKind peer : peers) {
        table.append(' ').append(ratio(comparison.value(measure, BrokerKind.FLOTILLA), comparison.value(measure, peer)))
            .append(" |");
      }
      table.append('\n');
    }
    return table.toString();
  }

  private static String cell(MqttComparison comparison, MqttMeasure measure, BrokerKind broker) {
    if (measure.jvmOnly() && !broker.isJvm()) {
      return NONE;
    }
    return comparison.value(measure, broker).map(v -> measure.unit().format(v))
        .or(() -> comparison.remark(measure, broker)).orElse("unavailable");
  }

  /** Flotilla's figure over the peer's, such as {@code 1.25×}; a dash when either is missing or the peer's is 0. */
  static String ratio(Optional<Double> flotilla, Optional<Double> peer) {
    if (flotilla.isEmpty() || peer.isEmpty() || peer.get() == 0) {
      return NONE;
    }
    return String.format(Locale.ROOT, "%.2f×", flotilla.get() / peer.get());
  }

  /**
   * The two aims, one line each: QoS 1 throughput at least the faster peer's, and less
   * than 10 KiB of heap per idle connected device at every idle size measured.
   */
  static List<String> aims(MqttComparison comparison, List<MqttMeasure> heapMeasures) {
    List<String> lines = new ArrayList<>();
    if (!comparison.brokers().contains(BrokerKind.FLOTILLA)) {
      return lines;
    }
    Optional<Double> ours = comparison.value(MqttMeasure.QOS1_RATE, BrokerKind.FLOTILLA);
    Optional<BrokerKind> fastestPeer = comparison.brokers().stream().filter(b -> b != BrokerKind.FLOTILLA)
        .filter(b -> comparison.value(MqttMeasure.QOS1_RATE, b).isPresent())
        .max((a, b) -> Double.compare(comparison.value(MqttMeasure.QOS1_RATE, a).orElseThrow(),
            comparison.value(MqttMeasure.QOS1_RATE, b).orElseThrow()));
    if (ours.isEmpty() || fastestPeer.isEmpty()) {
      lines.add("Aim, QoS 1 msgs/s at least the faster peer's: not measured.");
    } else {
      double theirs = comparison.value(MqttMeasure.QOS1_RATE, fastestPeer.get()).orElseThrow();
      lines.add(String.format(Locale.ROOT, "Aim, QoS 1 msgs/s at least the faster peer's: %s vs %s's %s, %s.",
          ResultTable.rate(ours.get()), fastestPeer.get().displayName(), ResultTable.rate(theirs),
          ours.get() >= theirs ? "met" : "not met"));
    }
    for (MqttMeasure heap : heapMeasures) {
      Optional<Double> perConnection = comparison.value(heap, BrokerKind.FLOTILLA);
      lines.add("Aim, under 10 KiB of heap per idle connected device (" + heap.label() + "): "
          + perConnection.map(v -> FigureUnit.bytes(v) + ", " + (v < HEAP_AIM_BYTES ? "met" : "not met"))
              .orElse("not measured") + ".");
    }
    return lines;
  }
}
