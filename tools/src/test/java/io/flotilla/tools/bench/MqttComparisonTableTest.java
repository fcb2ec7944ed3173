package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MqttComparisonTableTest {
  /** One column per broker, then Flotilla over each peer; a missing figure reads "unavailable", an impossible one a dash. */
  @Test
  void rendersBrokersRatiosUnavailableAndNotApplicable() {
    MqttComparison comparison = new MqttComparison(List.of(BrokerKind.FLOTILLA, BrokerKind.MOSQUITTO,
        BrokerKind.HIVEMQ));
    MqttMeasure heap = MqttMeasure.heapPerIdle(10_000);
    comparison.declare(MqttMeasure.QOS1_RATE);
    comparison.declare(MqttMeasure.QOS1_P99);
    comparison.declare(heap);
    comparison.put(MqttMeasure.QOS1_RATE, BrokerKind.FLOTILLA, 50_000);
    comparison.put(MqttMeasure.QOS1_RATE, BrokerKind.MOSQUITTO, 40_000);
    comparison.put(MqttMeasure.QOS1_RATE, BrokerKind.HIVEMQ, 20_000);
    comparison.put(MqttMeasure.QOS1_P99, BrokerKind.MOSQUITTO, 1_500);
    comparison.put(heap, BrokerKind.FLOTILLA, 3_000);
    comparison.put(heap, BrokerKind.HIVEMQ, 6_144);

    assertThat(MqttComparisonTable.markdown(comparison).lines()).containsExactly(
        "| Measure | Flotilla | Mosquitto | HiveMQ CE | Flotilla/Mosquitto | Flotilla/HiveMQ CE |",
        "|---|---:|---:|---:|---:|---:|",
        "| QoS 1 msgs/s | 50,000 | 40,000 | 20,000 | 1.25× | 2.50× |",
        "| QoS 1 latency p99 | unavailable | 1,500 µs | unavailable | – | – |",
        "| heap per idle connection, 10,000 | 2.9 KiB | – | 6.0 KiB | – | 0.49× |");
  }

  /** Without Flotilla there is nothing to divide by: no ratio columns, no aims. */
  @Test
  void comparesPeersWithoutRatiosWhenFlotillaIsNotMeasured() {
    MqttComparison comparison = new MqttComparison(List.of(BrokerKind.MOSQUITTO));
    comparison.put(MqttMeasure.CONNECTS_PLAIN, BrokerKind.MOSQUITTO, 6_543.2);
    assertThat(MqttComparisonTable.markdown(comparison).lines()).containsExactly(
        "| Measure | Mosquitto |", "|---|---:|", "| connects/s, plain TCP | 6,543 |");
    assertThat(MqttComparisonTable.aims(comparison, List.of())).isEmpty();
  }

  /** The aims: QoS 1 at least the faster peer's, and under 10 KiB of heap per idle device. */
  @Test
  void judgesTheAimsAgainstTheFasterPeer() {
    MqttComparison comparison = new MqttComparison(List.of(BrokerKind.FLOTILLA, BrokerKind.MOSQUITTO,
        BrokerKind.HIVEMQ));
    MqttMeasure heap10k = MqttMeasure.heapPerIdle(10_000);
    MqttMeasure heap50k = MqttMeasure.heapPerIdle(50_000);
    comparison.put(MqttMeasure.QOS1_RATE, BrokerKind.FLOTILLA, 30_000);
    comparison.put(MqttMeasure.QOS1_RATE, BrokerKind.MOSQUITTO, 31_000);
    comparison.put(MqttMeasure.QOS1_RATE, BrokerKind.HIVEMQ, 12_000);
    comparison.put(heap10k, BrokerKind.FLOTILLA, 11_000);

    assertThat(MqttComparisonTable.aims(comparison, List.of(heap10k, heap50k))).containsExactly(
        "Aim, QoS 1 msgs/s at least the faster peer's: 30,000 vs Mosquitto's 31,000, not met.",
        "Aim, under 10 KiB of heap per idle connected device (heap per idle connection, 10,000): 10.7 KiB, not met.",
        "Aim, under 10 KiB of heap per idle connected device (heap per idle connection, 50,000): not measured.");
  }

  /** A size left out on purpose (too few file descriptors) says so, rather than looking like a failure. */
  @Test
  void showsRemarksForMeasuresLeftOut() {
    MqttComparison comparison = new MqttComparison(List.of(BrokerKind.MOSQUITTO, BrokerKind.HIVEMQ));
    MqttMeasure rss = MqttMeasure.residentPerIdle(50_000);
    comparison.remark(rss, BrokerKind.MOSQUITTO, "skipped");
    assertThat(MqttComparisonTable.markdown(comparison).lines())
        .contains("| RSS per idle connection, 50,000 | skipped | unavailable |");
  }

  @Test
  void dividesOnlyWhatBothHave() {
    assertThat(MqttComparisonTable.ratio(Optional.of(3.0), Optional.of(2.0))).isEqualTo("1.50×");
    assertThat(MqttComparisonTable.ratio(Optional.of(3.0), Optional.of(0.0))).isEqualTo("–");
    assertThat(MqttComparisonTable.ratio(Optional.empty(), Optional.of(2.0))).isEqualTo("–");
  }

  @Test
  void showsBytesInKibibytesAboveOneKibibyte() {
    assertThat(FigureUnit.bytes(713)).isEqualTo("713 B");
    assertThat(FigureUnit.bytes(12_902)).isEqualTo("12.6 KiB");
    assertThat(FigureUnit.bytes(-200)).isEqualTo("-200 B");
  }
}
