package io.flotilla.tools.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The figures of {@code bench mqtt}: one value per measure and broker where it was measured, the
 * brokers' versions, and notes that explain what is missing or unusual (a broker that did not
 * start, lost messages, an idle size this machine cannot hold). Rows keep the order in which they
 * were declared. Used from one thread.
 */
final class MqttComparison {
  private final List<BrokerKind> brokers;
  private final Map<MqttMeasure, EnumMap<BrokerKind, Double>> values = new LinkedHashMap<>();
  private final Map<MqttMeasure, EnumMap<BrokerKind, String>> remarks = new LinkedHashMap<>();
  private final EnumMap<BrokerKind, String> versions = new EnumMap<>(BrokerKind.class);
  private final List<String> notes = new ArrayList<>();

  MqttComparison(List<BrokerKind> brokers) {
    this.brokers = List.copyOf(brokers);
  }

  /** Adds a row, empty for now, so that rows keep their order whatever is measured first. */
  void declare(MqttMeasure measure) {
    values.computeIfAbsent(measure, m -> new EnumMap<>(BrokerKind.class));
  }

  void put(MqttMeasure measure, BrokerKind broker, double value) {
    values.computeIfAbsent(measure, m -> new EnumMap<>(BrokerKind.class)).put(broker, value);
  }

  /** A word to show instead of a figure that was not measured on purpose, such as {@code skipped}. */
  void remark(MqttMeasure measure, BrokerKind broker, String remark) {
    declare(measure);
    remarks.computeIfAbsent(measure, m -> new EnumMap<>(BrokerKind.class)).put(broker, remark);
  }

  void version(BrokerKind broker, String version) {
    versions.put(broker, version);
  }

  /** A sentence for the notes under the table, such as {@code Mosquitto, QoS 0: 12 messages lost}. */
  void note(String note) {
    notes.add(note);
  }

  List<BrokerKind> brokers() {
    return brokers;
  }

  List<MqttMeasure> measures() {
    return List.copyOf(values.keySet());
  }

  Optional<Double> value(MqttMeasure measure, BrokerKind broker) {
    return Optional.ofNullable(values.getOrDefault(measure, new EnumMap<>(BrokerKind.class)).get(broker));
  }

  Optional<String> remark(MqttMeasure measure, BrokerKind broker) {
    return Optional.ofNullable(remarks.getOrDefault(measure, new EnumMap<>(BrokerKind.class)).get(broker));
  }

  Optional<String> version(BrokerKind broker) {
    return Optional.ofNullable(versions.get(broker));
  }

  List<String> notes() {
    return List.copyOf(notes);
  }
}
