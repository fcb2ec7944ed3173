package io.flotilla.tools.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The figures of {@code bench ingest}: one value per measure and target where it was measured, the
 * targets' versions, the check of each storing target (what the store holds against what was
 * acknowledged), and notes that explain what is missing or unusual. A failed check fails the run.
 * Rows keep the order in which they were declared. Used from one thread.
 */
final class IngestResults {
  private final List<IngestTarget> targets;
  private final Map<IngestMeasure, EnumMap<IngestTarget, Double>> values = new LinkedHashMap<>();
  private final EnumMap<IngestTarget, String> versions = new EnumMap<>(IngestTarget.class);
  private final List<String> checks = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private boolean failed;

  IngestResults(List<IngestTarget> targets) {
    this.targets = List.copyOf(targets);
    List.of(IngestMeasure.FULL_MESSAGES, IngestMeasure.FULL_POINTS, IngestMeasure.FULL_P50, IngestMeasure.FULL_P99,
        IngestMeasure.FULL_CPU, IngestMeasure.HALF_POINTS, IngestMeasure.HALF_P50, IngestMeasure.HALF_P99,
        IngestMeasure.AIM_POINTS, IngestMeasure.AIM_P50, IngestMeasure.AIM_P99)
        .forEach(m -> values.put(m, new EnumMap<>(IngestTarget.class)));
    if (targets.stream().anyMatch(IngestTarget::stores)) {
      values.put(IngestMeasure.HEAP_PER_POINT, new EnumMap<>(IngestTarget.class));
      values.put(IngestMeasure.DISK_PER_POINT, new EnumMap<>(IngestTarget.class));
    }
  }

  void put(IngestMeasure measure, IngestTarget target, double value) {
    values.computeIfAbsent(measure, m -> new EnumMap<>(IngestTarget.class)).put(target, value);
  }

  void version(IngestTarget target, String version) {
    versions.put(target, version);
  }

  /** The outcome of a storing target's check, one sentence; {@code passed} false fails the run. */
  void check(String sentence, boolean passed) {
    checks.add(sentence);
    failed |= !passed;
  }

  /** A sentence for the notes under the table. */
  void note(String note) {
    notes.add(note);
  }

  /** A failure that makes the run's result wrong or missing (a storing target that could not be measured). */
  void fail(String note) {
    notes.add(note);
    failed = true;
  }

  List<IngestTarget> targets() {
    return targets;
  }

  List<IngestMeasure> measures() {
    return List.copyOf(values.keySet());
  }

  Optional<Double> value(IngestMeasure measure, IngestTarget target) {
    return Optional.ofNullable(values.getOrDefault(measure, new EnumMap<>(IngestTarget.class)).get(target));
  }

  Optional<String> version(IngestTarget target) {
    return Optional.ofNullable(versions.get(target));
  }

  List<String> checks() {
    return List.copyOf(checks);
  }

  List<String> notes() {
    return List.copyOf(notes);
  }

  boolean failed() {
    return failed;
  }
}
