package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IngestTableTest {
  /**
   * One column per target, then each Flotilla engine over each peer; a missing figure reads
   * "unavailable", a per-stored-point figure of a peer a dash, and so does its ratio.
   */
  @Test
  void rendersTargetsRatiosUnavailableAndNotApplicable() {
    IngestResults results = new IngestResults(List.of(IngestTarget.DUCKDB, IngestTarget.POSTGRESQL,
        IngestTarget.MOSQUITTO, IngestTarget.HIVEMQ));
    results.put(IngestMeasure.FULL_MESSAGES, IngestTarget.DUCKDB, 30_000);
    results.put(IngestMeasure.FULL_MESSAGES, IngestTarget.POSTGRESQL, 10_000);
    results.put(IngestMeasure.FULL_MESSAGES, IngestTarget.MOSQUITTO, 40_000);
    results.put(IngestMeasure.FULL_MESSAGES, IngestTarget.HIVEMQ, 20_000);
    results.put(IngestMeasure.FULL_P99, IngestTarget.DUCKDB, 12_345.6);
    results.put(IngestMeasure.FULL_P99, IngestTarget.MOSQUITTO, 4_000);
    results.put(IngestMeasure.DISK_PER_POINT, IngestTarget.DUCKDB, 14.4);
    results.put(IngestMeasure.HEAP_PER_POINT, IngestTarget.DUCKDB, 0.25);

    List<String> lines = IngestTable.markdown(results).lines().toList();
    assertThat(lines.get(0)).isEqualTo("| Measure | Flotilla + DuckDB | Flotilla + PostgreSQL | Mosquitto | HiveMQ CE"
        + " | DuckDB/Mosquitto | DuckDB/HiveMQ CE | PostgreSQL/Mosquitto | PostgreSQL/HiveMQ CE |");
    assertThat(lines.get(1)).isEqualTo("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    assertThat(lines).contains(
        "| messages/s, full load | 30,000 | 10,000 | 40,000 | 20,000 | 0.75× | 1.50× | 0.25× | 0.50× |",
        "| publish→PUBACK p99, full load | 12,346 µs | unavailable | 4,000 µs | unavailable | 3.09× | – | – | – |",
        "| heap growth per stored point, after full GC | 0.3 B | unavailable | – | – | – | – | – | – |",
        "| disk per stored point | 14.4 B | unavailable | – | – | – | – | – | – |");
    assertThat(lines).hasSize(2 + results.measures().size());
  }

  /** Peers alone have no per-stored-point rows, no ratio columns and no aims. */
  @Test
  void peersAloneHaveNeitherStoreRowsNorRatiosNorAims() {
    IngestResults results = new IngestResults(List.of(IngestTarget.MOSQUITTO));
    results.put(IngestMeasure.FULL_POINTS, IngestTarget.MOSQUITTO, 160_000);

    assertThat(IngestTable.markdown(results).lines()).startsWith("| Measure | Mosquitto |", "|---|---:|")
        .contains("| data points/s, full load | 160,000 |")
        .noneMatch(line -> line.contains("per stored point"));
    assertThat(IngestTable.aims(results)).isEmpty();
  }

  /** The aims: 100,000 points/s on DuckDB, and p99 under 50 ms paced at half that (50,000 points/s). */
  @Test
  void judgesTheAimsOfTheEmbeddedEngine() {
    IngestResults met = new IngestResults(List.of(IngestTarget.DUCKDB));
    met.put(IngestMeasure.FULL_POINTS, IngestTarget.DUCKDB, 120_000);
    met.put(IngestMeasure.AIM_POINTS, IngestTarget.DUCKDB, 50_000);
    met.put(IngestMeasure.AIM_P99, IngestTarget.DUCKDB, 8_000);
    assertThat(IngestTable.aims(met)).containsExactly(
        "Aim, at least 100,000 data points/s stored durably on the embedded engine (DuckDB): 120,000, met.",
        "Aim, p99 publish→PUBACK under 50 ms at half that load: 8,000 µs at 50,000 data points/s, met.");

    IngestResults missed = new IngestResults(List.of(IngestTarget.DUCKDB, IngestTarget.MOSQUITTO));
    missed.put(IngestMeasure.FULL_POINTS, IngestTarget.DUCKDB, 80_000);
    missed.put(IngestMeasure.AIM_POINTS, IngestTarget.DUCKDB, 49_900);
    missed.put(IngestMeasure.AIM_P99, IngestTarget.DUCKDB, 60_000);
    assertThat(IngestTable.aims(missed)).containsExactly(
        "Aim, at least 100,000 data points/s stored durably on the embedded engine (DuckDB): 80,000, not met.",
        "Aim, p99 publish→PUBACK under 50 ms at half that load: 60,000 µs at 49,900 data points/s, not met.");

    IngestResults slow = new IngestResults(List.of(IngestTarget.DUCKDB));
    slow.put(IngestMeasure.FULL_POINTS, IngestTarget.DUCKDB, 40_000);
    assertThat(IngestTable.aims(slow)).contains(
        "Aim, p99 publish→PUBACK under 50 ms at half that load: not measured (the full load stayed below it).");

    IngestResults none = new IngestResults(List.of(IngestTarget.DUCKDB));
    assertThat(IngestTable.aims(none)).containsExactly(
        "Aim, at least 100,000 data points/s stored durably on the embedded engine (DuckDB): not measured.",
        "Aim, p99 publish→PUBACK under 50 ms at half that load: not measured.");
  }

  /** A failed check fails the whole run; a passed one does not. */
  @Test
  void aFailedCheckFailsTheRun() {
    IngestResults results = new IngestResults(List.of(IngestTarget.DUCKDB));
    results.check("all stored", true);
    assertThat(results.failed()).isFalse();
    results.check("points missing", false);
    assertThat(results.failed()).isTrue();
    assertThat(results.checks()).containsExactly("all stored", "points missing");
  }
}
