package io.flotilla.store.timeseries;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.paging.Page;
import io.flotilla.core.telemetry.RawQuery;
import io.flotilla.core.telemetry.RejectedTelemetry;
import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.telemetry.TelemetryStore;
import io.flotilla.core.telemetry.TelemetryValue;
import io.flotilla.core.tenant.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the journal in front of DuckDB promises beyond the store contract (which {@link DuckDbTelemetryStoreTest}
 * runs on it): records a crash left unapplied are stored at the next open exactly once, a torn tail is cut off, and
 * applied segments do not pile up.
 */
@Timeout(60)
class JournaledTelemetryStoreTest {
  private static final TenantId ACME = new TenantId("acme");
  private static final Instant T0 = Instant.parse("2026-01-05T10:00:00.123456789Z");

  @TempDir
  Path dataDir;

  @Test
  void recordsJournaledButNotStoredWhenTheProcessDiedAreStoredAtTheNextOpenExactlyOnce() {
    Path file = dataDir.resolve(TelemetryStores.DEFAULT_FILE);
    TelemetryStores.open("duckdb:", dataDir).close(); // the file exists, nothing applied
    // What a crash leaves: records synced (so acknowledged) that the applier had not stored yet.
    try (IngestJournal journal = IngestJournal.open(TelemetryStores.journalFolder(file), 1 << 20, 0)) {
      for (int batch = 0; batch < 3; batch++) {
        long record = journal.append(JournalRecords.encode(readings("d1", batch * 10, 10), List.of()));
        journal.syncThrough(record);
      }
    }

    try (TelemetryStore store = TelemetryStores.open("duckdb:", dataDir)) {
      assertThat(values(store, "d1")).containsExactlyElementsOf(sequence(0, 30));
    }
    try (TelemetryStore store = TelemetryStores.open("duckdb:", dataDir)) {
      assertThat(values(store, "d1")).as("a second open replays nothing again").hasSize(30);
      store.append(readings("d1", 30, 5), List.of());
      assertThat(values(store, "d1")).containsExactlyElementsOf(sequence(0, 35));
    }
    assertThat(segments(file)).as("applied segments are deleted; at most the open one stays").hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void aRecordCutShortByACrashIsDroppedAndTheJournalGoesOnAfterTheLastGoodOne() throws IOException {
    Path file = dataDir.resolve(TelemetryStores.DEFAULT_FILE);
    TelemetryStores.open("duckdb:", dataDir).close();
    Path folder = TelemetryStores.journalFolder(file);
    try (IngestJournal journal = IngestJournal.open(folder, 1 << 20, 0)) {
      journal.syncThrough(journal.append(JournalRecords.encode(readings("d1", 0, 4), List.of())));
    }
    Path segment = segments(file).get(0);
    long goodLength = Files.size(segment);
    byte[] torn = JournalRecords.encode(readings("d1", 100, 4), List.of());
    Files.write(segment, new byte[] {0, 0, 1, 0, 0x12, 0x34}, StandardOpenOption.APPEND); // half a header…
    Files.write(segment, torn, StandardOpenOption.APPEND); // …and a body that does not fit it

    try (IngestJournal journal = IngestJournal.open(folder, 1 << 20, 0)) {
      assertThat(Files.size(segment)).as("the torn tail is cut off").isEqualTo(goodLength);
      assertThat(journal.lastNumber()).isEqualTo(1);
    }
    try (TelemetryStore store = TelemetryStores.open("duckdb:", dataDir)) {
      assertThat(values(store, "d1")).containsExactlyElementsOf(sequence(0, 4));
      store.append(readings("d1", 4, 2), List.of());
      assertThat(values(store, "d1")).containsExactlyElementsOf(sequence(0, 6));
    }
  }

  @Test
  void aRecordKeepsEveryKindOfValueTheNanosecondsAndTheRejections() {
    List<TelemetryPoint> points = List.of(
        new TelemetryPoint(ACME, "d1", "p", "t", T0, T0.plusNanos(7), new TelemetryValue.Num(-1.5e-300)),
        new TelemetryPoint(ACME, "d1", "p", "on", T0, T0, new TelemetryValue.Bool(true)),
        new TelemetryPoint(new TenantId("beta"), "d2", "q", "name", T0, T0, new TelemetryValue.Text("žluťoučký ✓")),
        new TelemetryPoint(ACME, "d1", "p", "arr", T0, T0, new TelemetryValue.Json("[1,\"x\",null]")));
    List<RejectedTelemetry> rejections = List.of(new RejectedTelemetry(0, ACME, "d1", "p", "mqtt", T0,
        "$.t: must be a number", "{\"t\":\"hot\"}", 11));

    JournalRecords.Group group = JournalRecords.decode(JournalRecords.encode(points, rejections));

    assertThat(group.points()).isEqualTo(points);
    assertThat(group.rejections()).isEqualTo(rejections);
  }

  @Test
  void segmentsRollOverAndOnlyAppliedOnesAreDeleted() {
    Path file = dataDir.resolve(TelemetryStores.DEFAULT_FILE);
    DuckDbTelemetryStore engine = DuckDbTelemetryStore.open(file, TelemetryStoreSettings.DEFAULTS);
    JournaledTelemetryStore.Limits small = new JournaledTelemetryStore.Limits(2_000, 10_000, 1_000,
        JournaledTelemetryStore.Limits.DEFAULTS.waitFor());
    try (JournaledTelemetryStore store = JournaledTelemetryStore.open(engine, TelemetryStores.journalFolder(file),
        small)) {
      for (int i = 0; i < 50; i++) {
        store.append(readings("d1", i * 10, 10), List.of());
      }
      assertThat(values(store, "d1")).containsExactlyElementsOf(sequence(0, 500));
      assertThat(store.backlogPoints()).isZero();
      assertThat(segments(file)).as("segments of 2 kB roll over and the applied ones go").hasSizeLessThan(5);
    }
  }

  private static List<TelemetryPoint> readings(String device, int from, int count) {
    List<TelemetryPoint> points = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      Instant time = T0.plusSeconds(i);
      points.add(new TelemetryPoint(ACME, device, "sensor", "seq", time, time, new TelemetryValue.Num(i)));
    }
    return points;
  }

  private static List<Double> sequence(int from, int to) {
    List<Double> values = new ArrayList<>();
    for (int i = from; i < to; i++) {
      values.add((double) i);
    }
    return values;
  }

  private static List<Double> values(TelemetryStore store, String device) {
    List<Double> values = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<TelemetryPoint> page = store.raw(new RawQuery(ACME, device, Set.of(), Instant.EPOCH,
          Instant.parse("2100-01-01T00:00:00Z"), 100, cursor));
      page.items().forEach(p -> values.add(((TelemetryValue.Num) p.value()).value()));
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return values;
  }

  private static List<Path> segments(Path file) {
    try (Stream<Path> files = Files.list(TelemetryStores.journalFolder(file))) {
      return files.sorted().toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
