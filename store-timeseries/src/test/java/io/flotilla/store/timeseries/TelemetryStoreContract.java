package io.flotilla.store.timeseries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.flotilla.core.error.ValidationException;
import io.flotilla.core.paging.Page;
import io.flotilla.core.telemetry.Aggregate;
import io.flotilla.core.telemetry.BucketQuery;
import io.flotilla.core.telemetry.BucketValue;
import io.flotilla.core.telemetry.FleetBucket;
import io.flotilla.core.telemetry.FleetQuery;
import io.flotilla.core.telemetry.LatestValue;
import io.flotilla.core.telemetry.RawQuery;
import io.flotilla.core.telemetry.RejectedTelemetry;
import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.telemetry.TelemetryStore;
import io.flotilla.core.telemetry.TelemetryStore.ExportedFile;
import io.flotilla.core.telemetry.TelemetryValue;
import io.flotilla.core.telemetry.Tier;
import io.flotilla.core.tenant.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link TelemetryStore} engine must show, run against each engine by a subclass, so
 * that the engines cannot drift apart. Published in the test jar for the server's own wiring.
 */
@Timeout(60)
public abstract class TelemetryStoreContract {
  protected static final TenantId ACME = new TenantId("acme");
  protected static final TenantId BETA = new TenantId("beta");
  protected static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final Set<Aggregate> ALL = EnumSet.allOf(Aggregate.class);

  protected TelemetryStore store;

  @TempDir
  protected Path exportDir;

  /** Opens the engine on this test's data; a second call opens the same data again. */
  protected abstract TelemetryStore open(TelemetryStoreSettings settings);

  /** Makes the data of this test empty; called before the first {@link #open}. */
  protected void freshData() {
  }

  @BeforeEach
  void openStore() {
    freshData();
    store = open(TelemetryStoreSettings.DEFAULTS);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  /** Runs SQL statements directly on this test's data while the store is closed. */
  protected abstract void executeDirectly(String... statements) throws Exception;

  protected void reopen(TelemetryStoreSettings settings) {
    store.close();
    store = open(settings);
  }

  protected static TelemetryPoint point(TenantId tenant, String device, String profile, String key, Instant time,
      Instant receivedAt, TelemetryValue value) {
    return new TelemetryPoint(tenant, device, profile, key, time, receivedAt, value);
  }

  protected static TelemetryPoint num(String device, String key, Instant time, double value) {
    return point(ACME, device, "sensor", key, time, time.plusMillis(500), new TelemetryValue.Num(value));
  }

  private static Instant at(String isoTime) {
    return Instant.parse(isoTime);
  }

  private void append(TelemetryPoint... points) {
    store.append(List.of(points), List.of());
  }

  private List<TelemetryPoint> allRaw(TenantId tenant, String device) {
    List<TelemetryPoint> all = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<TelemetryPoint> page = store.raw(new RawQuery(tenant, device, Set.of(), Instant.EPOCH,
          at("2100-01-01T00:00:00Z"), 1000, cursor));
      all.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return all;
  }

  private List<BucketValue> buckets(String device, Instant from, Instant to, Duration bucket, ZoneId zone,
      Tier tier) {
    return store.buckets(new BucketQuery(ACME, device, Set.of(), from, to, bucket, zone, ALL, tier));
  }

  private static String describe(List<TelemetryPoint> points) {
    StringBuilder text = new StringBuilder();
    points.forEach(p -> text.append(p.time().getEpochSecond() - T0.getEpochSecond()).append(p.key()).append(' '));
    return text.toString().trim();
  }

  /**
   * A device repeating a key within the server clock's millisecond gives points equal in time, key and receipt:
   * paging through them, across batches and a reopen, shows each once, in the order they were stored.
   */
  @Test
  void pointsEqualInTimeKeyAndReceiptEachShowOnceAcrossPages() {
    List<TelemetryPoint> first = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      first.add(num("d1", "a", T0, i));
    }
    store.append(first, List.of());
    reopen(TelemetryStoreSettings.DEFAULTS);
    List<TelemetryPoint> second = new ArrayList<>();
    for (int i = 4; i < 10; i++) {
      second.add(num("d1", "a", T0, i));
    }
    store.append(second, List.of());

    List<Double> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<TelemetryPoint> page = store.raw(new RawQuery(ACME, "d1", Set.of(), T0, T0.plusSeconds(1), 3, cursor));
      page.items().forEach(p -> seen.add(((TelemetryValue.Num) p.value()).value()));
      cursor = page.nextCursor();
    } while (cursor.isPresent());

    assertThat(seen).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0);
  }

  /**
   * A store of schema version 1 (points without numbers) opens migrated: its points are all still read, and
   * new points page correctly beside them.
   */
  @Test
  void aVersionOneStoreIsMigratedOnOpen() throws Exception {
    append(num("d1", "a", T0, 1), num("d1", "b", T0, 2));
    store.close();
    executeDirectly("ALTER TABLE telemetry_points DROP COLUMN seq", "UPDATE telemetry_schema_version SET version = 1");
    store = open(TelemetryStoreSettings.DEFAULTS);
    append(num("d1", "a", T0, 3), num("d1", "a", T0, 4));

    List<TelemetryPoint> all = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<TelemetryPoint> page = store.raw(new RawQuery(ACME, "d1", Set.of(), T0, T0.plusSeconds(1), 1, cursor));
      all.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor.isPresent());

    assertThat(all).extracting(p -> ((TelemetryValue.Num) p.value()).value()).containsExactly(1.0, 3.0, 4.0, 2.0);
  }

  /** Pages follow (time, key); a point added behind the cursor stays out, one ahead of it comes in its place. */
  @Test
  void rawPagesFollowTimeThenKeyAndStayStableWhilePointsArrive() {
    List<TelemetryPoint> batch = new ArrayList<>();
    for (int i = 4; i >= 0; i--) {
      batch.add(num("d1", "b", T0.plusSeconds(i), i));
      batch.add(num("d1", "a", T0.plusSeconds(i), i));
    }
    store.append(batch, List.of());
    RawQuery first = new RawQuery(ACME, "d1", Set.of(), T0, T0.plusSeconds(60), 3, Optional.empty());
    Page<TelemetryPoint> page = store.raw(first);
    assertThat(describe(page.items())).isEqualTo("0a 0b 1a");
    assertThat(page.nextCursor()).isPresent();

    append(num("d1", "c", T0, 9), num("d1", "c", T0.plusSeconds(4), 9));
    List<TelemetryPoint> rest = new ArrayList<>();
    Optional<String> cursor = page.nextCursor();
    while (cursor.isPresent()) {
      Page<TelemetryPoint> next = store.raw(new RawQuery(ACME, "d1", Set.of(), T0, T0.plusSeconds(60), 3, cursor));
      assertThat(next.items()).hasSizeLessThanOrEqualTo(3);
      rest.addAll(next.items());
      cursor = next.nextCursor();
    }
    assertThat(describe(rest)).isEqualTo("1b 2a 2b 3a 3b 4a 4b 4c");
  }

  /** A key set and the half-open time range both narrow the points. */
  @Test
  void keyFilterAndHalfOpenRangeNarrowThePoints() {
    append(num("d1", "a", T0, 1), num("d1", "b", T0, 2), num("d1", "a", T0.plusSeconds(10), 3),
        num("d1", "c", T0.plusSeconds(5), 4));
    Page<TelemetryPoint> onlyA = store.raw(new RawQuery(ACME, "d1", Set.of("a", "missing"), T0,
        T0.plusSeconds(60), 10, Optional.empty()));
    assertThat(onlyA.items()).extracting(TelemetryPoint::key).containsExactly("a", "a");
    Page<TelemetryPoint> range = store.raw(new RawQuery(ACME, "d1", Set.of(), T0.plusSeconds(1),
        T0.plusSeconds(10), 10, Optional.empty()));
    assertThat(describe(range.items())).isEqualTo("5c");
  }

  /** Numbers, booleans, awkward strings and JSON come back as they went in, with microsecond times. */
  @Test
  void everyValueKindRoundTrips() {
    Instant time = at("2026-01-05T10:00:00.123456789Z");
    Instant received = at("2026-01-05T10:00:01.000001Z");
    List<TelemetryPoint> points = List.of(
        point(ACME, "d1", "p", "a.num", time, received, new TelemetryValue.Num(-21.125)),
        point(ACME, "d1", "p", "b.bool", time, received, new TelemetryValue.Bool(true)),
        point(ACME, "d1", "p", "c.text", time, received, new TelemetryValue.Text("tab\there\nnew 'q' \\ ünï ✓")),
        point(ACME, "d1", "p", "d.json", time, received, new TelemetryValue.Json("[1,2.5,{\"a\":null}]")),
        point(ACME, "d1", "p", "e.bool", time, received, new TelemetryValue.Bool(false)));
    store.append(points, List.of());
    Instant micros = at("2026-01-05T10:00:00.123456Z");
    assertThat(allRaw(ACME, "d1")).containsExactlyElementsOf(points.stream()
        .map(p -> point(p.tenant(), p.deviceId(), p.profileId(), p.key(), micros, received, p.value())).toList());
  }

  /** Each aggregate over numeric points, first and last by reading time whatever the order of arrival. */
  @Test
  void bucketsComputeEachAggregateExactly() {
    append(num("d1", "temp", at("2026-01-05T10:50:00Z"), 2), num("d1", "temp", at("2026-01-05T10:05:00Z"), 4),
        num("d1", "temp", at("2026-01-05T10:20:00Z"), 7), num("d1", "temp", at("2026-01-05T10:10:00Z"), 1),
        num("d1", "temp", at("2026-01-05T11:30:00Z"), 5.5),
        point(ACME, "d1", "sensor", "state", T0, T0, new TelemetryValue.Text("ok")),
        num("d1", "temp", at("2026-01-05T12:00:00Z"), 100));
    List<BucketValue> hours = buckets("d1", T0, at("2026-01-05T12:00:00Z"), Duration.ofHours(1), UTC, Tier.RAW);
    assertThat(hours).containsExactly(
        new BucketValue("temp", T0, Map.of(Aggregate.AVG, 3.5, Aggregate.MIN, 1.0, Aggregate.MAX, 7.0,
            Aggregate.SUM, 14.0, Aggregate.COUNT, 4.0, Aggregate.FIRST, 4.0, Aggregate.LAST, 2.0)),
        new BucketValue("temp", at("2026-01-05T11:00:00Z"), Map.of(Aggregate.AVG, 5.5, Aggregate.MIN, 5.5,
            Aggregate.MAX, 5.5, Aggregate.SUM, 5.5, Aggregate.COUNT, 1.0, Aggregate.FIRST, 5.5, Aggregate.LAST, 5.5)));
    List<BucketValue> maxOnly = store.buckets(new BucketQuery(ACME, "d1", Set.of("temp"), T0,
        at("2026-01-05T11:00:00Z"), Duration.ofMinutes(15), UTC, Set.of(Aggregate.MAX), Tier.RAW));
    assertThat(maxOnly).containsExactly(
        new BucketValue("temp", T0, Map.of(Aggregate.MAX, 4.0)),
        new BucketValue("temp", at("2026-01-05T10:15:00Z"), Map.of(Aggregate.MAX, 7.0)),
        new BucketValue("temp", at("2026-01-05T10:45:00Z"), Map.of(Aggregate.MAX, 2.0)));
  }

  /** Asia/Kolkata is UTC+05:30: its hours start at half past in UTC, and the hour tier cannot serve them. */
  @Test
  void hourBucketsAlignToTheLocalHourOfHalfHourZones() {
    ZoneId kolkata = ZoneId.of("Asia/Kolkata");
    append(num("d1", "temp", at("2026-01-05T10:20:00Z"), 1), num("d1", "temp", at("2026-01-05T10:40:00Z"), 3));
    List<BucketValue> hours = buckets("d1", at("2026-01-05T09:00:00Z"), at("2026-01-05T12:00:00Z"),
        Duration.ofHours(1), kolkata, Tier.RAW);
    assertThat(hours).extracting(BucketValue::bucketStart)
        .containsExactly(at("2026-01-05T09:30:00Z"), at("2026-01-05T10:30:00Z"));
    List<BucketValue> quarters = buckets("d1", at("2026-01-05T09:00:00Z"), at("2026-01-05T12:00:00Z"),
        Duration.ofMinutes(45), kolkata, Tier.RAW);
    // 45-minute buckets restart at local midnight (18:30Z): 15:00 IST = 09:30Z, 15:45 IST = 10:15Z, 16:30 IST = 11:00Z
    assertThat(quarters).extracting(BucketValue::bucketStart)
        .containsExactly(at("2026-01-05T10:15:00Z"));
    assertThat(quarters.get(0).values().get(Aggregate.COUNT)).isEqualTo(2.0);
    assertThatThrownBy(() -> buckets("d1", at("2026-01-05T09:00:00Z"), at("2026-01-05T12:00:00Z"),
        Duration.ofHours(1), kolkata, Tier.HOUR)).isInstanceOf(io.flotilla.core.error.ValidationException.class)
        .hasMessageContaining("hour tier");
  }

  /** Europe/Berlin: the spring DST day is 23 hours long, and the autumn night's repeated hour is two buckets. */
  @Test
  void dayAndHourBucketsFollowBerlinAcrossDstChanges() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    append(num("d1", "temp", at("2026-03-28T22:30:00Z"), 1), num("d1", "temp", at("2026-03-28T23:30:00Z"), 2),
        num("d1", "temp", at("2026-03-29T21:30:00Z"), 3), num("d1", "temp", at("2026-03-29T22:30:00Z"), 4));
    List<BucketValue> days = buckets("d1", at("2026-03-27T00:00:00Z"), at("2026-04-01T00:00:00Z"),
        Duration.ofDays(1), berlin, Tier.RAW);
    assertThat(days).extracting(BucketValue::bucketStart).containsExactly(
        at("2026-03-27T23:00:00Z"), at("2026-03-28T23:00:00Z"), at("2026-03-29T22:00:00Z"));
    assertThat(days).extracting(b -> b.values().get(Aggregate.SUM)).containsExactly(1.0, 5.0, 4.0);

    append(num("d2", "temp", at("2026-10-25T00:30:00Z"), 1), num("d2", "temp", at("2026-10-25T01:30:00Z"), 2));
    List<BucketValue> hours = buckets("d2", at("2026-10-24T22:00:00Z"), at("2026-10-25T03:00:00Z"),
        Duration.ofHours(1), berlin, Tier.RAW);
    assertThat(hours).extracting(BucketValue::bucketStart)
        .containsExactly(at("2026-10-25T00:00:00Z"), at("2026-10-25T01:00:00Z"));
  }

  /** The rollup tiers give the raw aggregates, and a late point merges into its already rolled buckets. */
  @Test
  void rollupsMatchRawAggregatesAndMergeLateData() {
    List<TelemetryPoint> batch = new ArrayList<>();
    double[] values = {3, 8, -2, 5.5, 10, 1};
    for (int i = 0; i < values.length; i++) {
      batch.add(num("d1", "temp", T0.plusSeconds(10 + 8L * i), values[i]));
      batch.add(num("d1", "temp", T0.plusSeconds(3600 + 40L * i), values[i] * 2));
    }
    batch.add(point(ACME, "d1", "sensor", "state", T0, T0, new TelemetryValue.Text("ok")));
    store.append(batch, List.of());
    Instant cut = T0.plusSeconds(7200);
    assertThat(store.rollUp(cut)).isEqualTo(12);
    assertThat(store.rolledUpTo()).isEqualTo(cut);
    assertTiersAgreeWithRaw();

    Instant lateReceived = cut.plusSeconds(30);
    append(point(ACME, "d1", "sensor", "temp", T0.plusSeconds(1), lateReceived, new TelemetryValue.Num(42)),
        point(ACME, "d1", "sensor", "temp", T0.plusSeconds(59), lateReceived, new TelemetryValue.Num(-7)));
    assertThat(store.rollUp(cut.plusSeconds(60))).isEqualTo(2);
    assertTiersAgreeWithRaw();
    BucketValue firstMinute = buckets("d1", T0, T0.plusSeconds(60), Duration.ofMinutes(1), UTC, Tier.MINUTE).get(0);
    assertThat(firstMinute.values()).containsEntry(Aggregate.COUNT, 8.0).containsEntry(Aggregate.FIRST, 42.0)
        .containsEntry(Aggregate.LAST, -7.0).containsEntry(Aggregate.MAX, 42.0).containsEntry(Aggregate.MIN, -7.0);
    assertThat(store.rollUp(cut.plusSeconds(60))).isZero();
  }

  private void assertTiersAgreeWithRaw() {
    Instant to = T0.plusSeconds(7200);
    for (Tier tier : List.of(Tier.MINUTE, Tier.HOUR)) {
      List<BucketValue> raw = buckets("d1", T0, to, tier.resolution(), UTC, Tier.RAW);
      List<BucketValue> rolled = buckets("d1", T0, to, tier.resolution(), UTC, tier);
      assertThat(rolled).hasSameSizeAs(raw).isNotEmpty();
      for (int i = 0; i < raw.size(); i++) {
        assertThat(rolled.get(i).bucketStart()).isEqualTo(raw.get(i).bucketStart());
        for (Aggregate aggregate : Aggregate.values()) {
          assertThat(rolled.get(i).values().get(aggregate)).as(tier + " " + aggregate)
              .isCloseTo(raw.get(i).values().get(aggregate), within(1e-9));
        }
      }
    }
    List<BucketValue> hourFromMinutes = buckets("d1", T0, to, Duration.ofHours(1), UTC, Tier.MINUTE);
    assertThat(hourFromMinutes).hasSize(2);
  }

  /** The rollup watermark starts at the epoch, is durable, and never moves back. */
  @Test
  void rolledUpToStartsAtEpochAndSurvivesReopen() {
    assertThat(store.rolledUpTo()).isEqualTo(Instant.EPOCH);
    append(num("d1", "temp", T0, 1));
    assertThat(store.rollUp(T0.plusSeconds(3600))).isEqualTo(1);
    reopen(TelemetryStoreSettings.DEFAULTS);
    assertThat(store.rolledUpTo()).isEqualTo(T0.plusSeconds(3600));
    assertThat(store.rollUp(T0)).isZero();
    assertThat(store.rolledUpTo()).isEqualTo(T0.plusSeconds(3600));
    assertThat(buckets("d1", T0, T0.plusSeconds(60), Duration.ofMinutes(1), UTC, Tier.MINUTE)).hasSize(1);
  }

  /** Expiry touches one tier of one profile of one tenant, and raw points only once rolled up. */
  @Test
  void expireTouchesOnlyItsTierProfileAndTenantAndWaitsForRollups() {
    store.append(List.of(
        point(ACME, "d1", "p1", "temp", T0, T0, new TelemetryValue.Num(1)),
        point(ACME, "d1", "p1", "temp", T0.plusSeconds(7200), T0.plusSeconds(7200), new TelemetryValue.Num(2)),
        point(ACME, "d2", "p2", "temp", T0, T0, new TelemetryValue.Num(3)),
        point(BETA, "d1", "p1", "temp", T0, T0, new TelemetryValue.Num(4))), List.of());
    Instant before = T0.plusSeconds(3600);
    assertThat(store.expire(ACME, "p1", Tier.RAW, before)).isZero();
    store.rollUp(T0.plusSeconds(7201));

    assertThat(store.expire(ACME, "p1", Tier.RAW, before)).isEqualTo(1);
    assertThat(allRaw(ACME, "d1")).extracting(TelemetryPoint::time).containsExactly(T0.plusSeconds(7200));
    assertThat(allRaw(ACME, "d2")).hasSize(1);
    assertThat(allRaw(BETA, "d1")).hasSize(1);

    assertThat(store.expire(ACME, "p1", Tier.MINUTE, before)).isEqualTo(1);
    assertThat(buckets("d1", T0, T0.plusSeconds(10_000), Duration.ofHours(1), UTC, Tier.MINUTE))
        .extracting(BucketValue::bucketStart).containsExactly(T0.plusSeconds(7200));
    assertThat(buckets("d1", T0, T0.plusSeconds(10_000), Duration.ofHours(1), UTC, Tier.HOUR)).hasSize(2);
    assertThat(buckets("d2", T0, T0.plusSeconds(10_000), Duration.ofHours(1), UTC, Tier.MINUTE)).hasSize(1);
    assertThat(store.expire(ACME, "p1", Tier.HOUR, T0.plusSeconds(3599))).isZero();
    assertThat(store.expire(ACME, "p1", Tier.HOUR, before)).isEqualTo(1);
    assertThat(store.buckets(new BucketQuery(BETA, "d1", Set.of(), T0, before, Duration.ofHours(1), UTC, ALL,
        Tier.HOUR))).hasSize(1);
  }

  /** The newest reading wins, a late older one does not replace it, and the values survive a reopen. */
  @Test
  void latestKeepsTheNewestReadingAndSurvivesReopen() {
    append(num("d1", "temp", T0.plusSeconds(10), 1), num("d1", "hum", T0, 50));
    append(num("d1", "temp", T0.plusSeconds(20), 2));
    append(num("d1", "temp", T0.plusSeconds(5), 99));
    List<LatestValue> expected = List.of(
        new LatestValue("d1", "hum", T0, new TelemetryValue.Num(50)),
        new LatestValue("d1", "temp", T0.plusSeconds(20), new TelemetryValue.Num(2)));
    assertThat(store.latest(ACME, List.of("d1", "unknown"), Set.of())).containsExactlyElementsOf(expected);
    assertThat(store.latest(ACME, List.of("d1"), Set.of("temp"))).containsExactly(expected.get(1));
    reopen(TelemetryStoreSettings.DEFAULTS);
    assertThat(store.latest(ACME, List.of("d1"), Set.of())).containsExactlyElementsOf(expected);
    append(num("d1", "temp", T0.plusSeconds(1), 7));
    assertThat(store.latest(ACME, List.of("d1"), Set.of("temp"))).containsExactly(expected.get(1));
  }

  /**
   * The latest-values table is written behind the points: what a crash kept from it is rebuilt at open from
   * the points received after the flush watermark, and written back, so the table alone holds it afterwards.
   */
  @Test
  void latestValuesMissingFromTheTableAreRebuiltFromRecentPoints() throws Exception {
    append(num("d1", "temp", T0, 1), num("d1", "temp", T0.plusSeconds(30), 2), num("d2", "hum", T0, 40));
    List<LatestValue> expected = List.of(new LatestValue("d1", "temp", T0.plusSeconds(30), new TelemetryValue.Num(2)),
        new LatestValue("d2", "hum", T0, new TelemetryValue.Num(40)));
    store.close();
    executeDirectly("DELETE FROM telemetry_latest",
        "UPDATE telemetry_state SET value = 0 WHERE name = 'latest_flushed_us'");

    store = open(TelemetryStoreSettings.DEFAULTS);
    assertThat(store.latest(ACME, List.of("d1", "d2"), Set.of())).containsExactlyElementsOf(expected);

    store.close();
    executeDirectly("UPDATE telemetry_state SET value = " + Long.MAX_VALUE + " WHERE name = 'latest_flushed_us'");
    store = open(TelemetryStoreSettings.DEFAULTS);
    assertThat(store.latest(ACME, List.of("d1", "d2"), Set.of())).containsExactlyElementsOf(expected);
  }

  /**
   * The flush watermark is one minute before the newest receive time written: values received within that
   * minute are replayed at open if the table lacks them, older ones are taken from the table alone.
   */
  @Test
  void replayAtOpenStartsOneMinuteBeforeTheNewestFlushedReceipt() throws Exception {
    append(num("d1", "temp", T0, 1), num("d2", "hum", T0.plusSeconds(30), 2),
        point(ACME, "d3", "sensor", "temp", T0.minusSeconds(600), T0.minusSeconds(600), new TelemetryValue.Num(3)));
    store.close();
    executeDirectly("DELETE FROM telemetry_latest");

    store = open(TelemetryStoreSettings.DEFAULTS);

    assertThat(store.latest(ACME, List.of("d1", "d2", "d3"), Set.of())).extracting(LatestValue::deviceId)
        .containsExactly("d1", "d2");
  }

  /** One key aggregated over the devices of each group, counting the devices that contributed. */
  @Test
  void fleetAggregatesPerGroupAndCountsDevices() {
    append(num("d1", "temp", T0, 10), num("d1", "temp", T0.plusSeconds(60), 20), num("d2", "temp", T0, 30),
        num("d3", "temp", T0.plusSeconds(3600), 7), num("d4", "temp", T0, 1000), num("d2", "hum", T0, 500));
    Map<String, String> groups = Map.of("d1", "north", "d2", "north", "d3", "south");
    List<FleetBucket> fleet = store.fleet(new FleetQuery(ACME, groups, "temp", Aggregate.AVG, T0,
        T0.plusSeconds(7200), Duration.ofHours(1), UTC, Tier.RAW));
    assertThat(fleet).containsExactly(new FleetBucket("north", T0, 20.0, 2),
        new FleetBucket("south", T0.plusSeconds(3600), 7.0, 1));
    store.rollUp(T0.plusSeconds(7200));
    List<FleetBucket> fromMinutes = store.fleet(new FleetQuery(ACME, groups, "temp", Aggregate.MAX, T0,
        T0.plusSeconds(7200), Duration.ofHours(1), UTC, Tier.MINUTE));
    assertThat(fromMinutes).containsExactly(new FleetBucket("north", T0, 30.0, 2),
        new FleetBucket("south", T0.plusSeconds(3600), 7.0, 1));
    assertThat(store.fleet(new FleetQuery(BETA, groups, "temp", Aggregate.AVG, T0, T0.plusSeconds(7200),
        Duration.ofHours(1), UTC, Tier.RAW))).isEmpty();
  }

  /** Deleting a device removes its points, rollups, latest values and rejections, and nothing of others. */
  @Test
  void deleteDeviceRemovesEverythingOfThatDeviceOnly() {
    append(num("d1", "temp", T0, 1), num("d1", "temp", T0.plusSeconds(1), 2), num("d2", "temp", T0, 3));
    store.append(List.of(), List.of(rejection(ACME, "d1", "bad"), rejection(ACME, "d2", "worse")));
    store.rollUp(T0.plusSeconds(60));
    assertThat(store.deleteDevice(ACME, "d1")).isEqualTo(2);
    assertThat(allRaw(ACME, "d1")).isEmpty();
    assertThat(buckets("d1", T0, T0.plusSeconds(60), Duration.ofMinutes(1), UTC, Tier.MINUTE)).isEmpty();
    assertThat(buckets("d1", T0, T0.plusSeconds(3600), Duration.ofHours(1), UTC, Tier.HOUR)).isEmpty();
    assertThat(store.latest(ACME, List.of("d1"), Set.of())).isEmpty();
    assertThat(store.rejected(ACME, Optional.empty(), 10, Optional.empty()).items())
        .extracting(RejectedTelemetry::deviceId).containsExactly("d2");
    reopen(TelemetryStoreSettings.DEFAULTS);
    assertThat(store.latest(ACME, List.of("d1", "d2"), Set.of())).extracting(LatestValue::deviceId)
        .containsExactly("d2");
    assertThat(allRaw(ACME, "d2")).hasSize(1);
  }

  private static RejectedTelemetry rejection(TenantId tenant, String device, String reason) {
    return new RejectedTelemetry(0, tenant, device, "sensor", "mqtt", T0, reason, "{\"x\":", 5);
  }

  /** Rejections come newest first a page at a time, per tenant, at most the configured number per tenant. */
  @Test
  void rejectionsAreBoundedPerTenantAndPagedNewestFirst() {
    reopen(new TelemetryStoreSettings(5, Duration.ofMinutes(10)));
    List<RejectedTelemetry> first = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      first.add(rejection(ACME, i % 2 == 0 ? "d1" : "d2", "r" + i));
    }
    store.append(List.of(), first);
    store.append(List.of(num("d1", "temp", T0, 1)), List.of(rejection(ACME, "d1", "r4"), rejection(ACME, "d2", "r5"),
        rejection(ACME, "d1", "r6"), rejection(BETA, "d1", "b0"), rejection(ACME, "d2", "r7")));
    List<String> reasons = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<RejectedTelemetry> page = store.rejected(ACME, Optional.empty(), 2, cursor);
      assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
      page.items().forEach(r -> {
        reasons.add(r.reason());
        ids.add(r.id());
      });
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    assertThat(reasons).containsExactly("r7", "r6", "r5", "r4", "r3");
    assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a)).allMatch(id -> id > 0);
    assertThat(store.rejected(ACME, Optional.of("d1"), 10, Optional.empty()).items())
        .extracting(RejectedTelemetry::reason).containsExactly("r6", "r4");
    RejectedTelemetry beta = store.rejected(BETA, Optional.empty(), 10, Optional.empty()).items().get(0);
    assertThat(beta.reason()).isEqualTo("b0");
    assertThat(beta.payload()).isEqualTo("{\"x\":");
    assertThat(beta.receivedAt()).isEqualTo(T0);
    assertThatThrownBy(() -> store.rejected(ACME, Optional.empty(), 2, Optional.of("bm90IGEgY3Vyc29y")))
        .isInstanceOf(ValidationException.class);
  }

  /** The Parquet file holds the tenant's points of the range, read back with DuckDB. */
  @Test
  void exportWritesParquetThatReadsBack() throws Exception {
    store.append(List.of(num("d1", "temp", T0, 21.5),
        point(ACME, "d1", "sensor", "mode", T0.plusSeconds(1), T0.plusSeconds(1), new TelemetryValue.Text("eco")),
        num("d1", "temp", T0.plusSeconds(7200), 99), num("d2", "temp", T0, 1),
        point(BETA, "d1", "sensor", "temp", T0, T0, new TelemetryValue.Num(5))), List.of());
    ExportedFile one = store.exportParquet(ACME, Optional.of("d1"), T0, T0.plusSeconds(3600), exportDir);
    assertThat(one.points()).isEqualTo(2);
    assertThat(one.file().getFileName().toString()).isEqualTo("acme-d1-20260105T100000Z-20260105T110000Z.parquet");
    assertThat(Files.size(one.file())).isPositive();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement();
        ResultSet rs = statement.executeQuery("SELECT device_id, key, kind, value_num, value_text, time FROM read_parquet('"
            + one.file() + "') ORDER BY time")) {
      assertThat(rs.next()).isTrue();
      assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3))).containsExactly("d1", "temp", "number");
      assertThat(rs.getDouble(4)).isEqualTo(21.5);
      assertThat(rs.getTimestamp(6).toLocalDateTime().toInstant(ZoneOffset.UTC)).isEqualTo(T0);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(5)).isEqualTo("eco");
      assertThat(rs.next()).isFalse();
    }
    ExportedFile all = store.exportParquet(ACME, Optional.empty(), T0, T0.plusSeconds(86_400),
        exportDir.resolve("archive"));
    assertThat(all.points()).isEqualTo(4);
    assertThat(all.file().getFileName().toString()).startsWith("acme-all-");
    assertThat(all.file().getParent()).isEqualTo(exportDir.resolve("archive"));
  }

  /** Tenant B sees none of tenant A's points, aggregates, latest values or rejections, even for the same device id. */
  @Test
  void tenantsNeverSeeEachOthersData() {
    append(num("shared", "temp", T0, 1));
    store.append(List.of(), List.of(rejection(ACME, "shared", "acme only")));
    assertThat(allRaw(BETA, "shared")).isEmpty();
    assertThat(store.buckets(new BucketQuery(BETA, "shared", Set.of(), T0, T0.plusSeconds(60),
        Duration.ofMinutes(1), UTC, ALL, Tier.RAW))).isEmpty();
    assertThat(store.latest(BETA, List.of("shared"), Set.of())).isEmpty();
    assertThat(store.rejected(BETA, Optional.empty(), 10, Optional.empty()).items()).isEmpty();
    store.append(List.of(point(BETA, "shared", "sensor", "temp", T0, T0, new TelemetryValue.Num(2))), List.of());
    assertThat(allRaw(BETA, "shared")).extracting(p -> p.value()).containsExactly(new TelemetryValue.Num(2));
    assertThat(allRaw(ACME, "shared")).extracting(p -> p.value()).containsExactly(new TelemetryValue.Num(1));
    assertThat(store.latest(ACME, List.of("shared"), Set.of())).extracting(LatestValue::value)
        .containsExactly(new TelemetryValue.Num(1));
  }

  /** Rolling up in many short slices gives the same tiers as one long slice. */
  @Test
  void rollupInShortSlicesAdvancesTheWatermarkToTheEnd() {
    reopen(new TelemetryStoreSettings(10_000, Duration.ofSeconds(1)));
    List<TelemetryPoint> batch = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      batch.add(num("d1", "temp", T0.plusSeconds(7L * i), i));
    }
    store.append(batch, List.of());
    assertThat(store.rollUp(T0.plusSeconds(3600))).isEqualTo(20);
    assertThat(store.rolledUpTo()).isEqualTo(T0.plusSeconds(3600));
    assertThat(buckets("d1", T0, T0.plusSeconds(3600), Duration.ofHours(1), UTC, Tier.MINUTE).get(0).values())
        .containsEntry(Aggregate.COUNT, 20.0).containsEntry(Aggregate.SUM, 190.0)
        .containsEntry(Aggregate.FIRST, 0.0).containsEntry(Aggregate.LAST, 19.0);
  }

  /** Latest values of 100,000 devices come from memory in well under a second. */
  @Test
  void latestAnswersForOneHundredThousandDevicesQuickly() {
    List<TelemetryPoint> batch = new ArrayList<>();
    List<String> devices = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      devices.add("dev-" + i);
      batch.add(num("dev-" + i, "temp", T0, i));
    }
    store.append(batch, List.of());
    long start = System.nanoTime();
    List<LatestValue> values = store.latest(ACME, devices, Set.of("temp"));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(values).hasSize(100_000);
    assertThat(values.get(99_999)).isEqualTo(new LatestValue("dev-99999", "temp", T0, new TelemetryValue.Num(99_999)));
    assertThat(millis).as("milliseconds for 100,000 devices").isLessThan(1_000);
  }

  /** Batches appended from several threads at once are all stored. */
  @Test
  void concurrentAppendsAreAllStored() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String device = "d" + t;
        done.add(threads.submit(() -> {
          for (int b = 0; b < 10; b++) {
            List<TelemetryPoint> batch = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
              batch.add(num(device, "temp", T0.plusSeconds(b * 50L + i), 1));
            }
            store.append(batch, List.of());
          }
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      threads.shutdown();
    }
    for (int t = 0; t < 4; t++) {
      assertThat(buckets("d" + t, T0, T0.plusSeconds(86_400), Duration.ofDays(1), UTC, Tier.RAW))
          .extracting(b -> b.values().get(Aggregate.COUNT)).containsExactly(500.0);
    }
  }

  /** Compaction keeps the data; the store reports its size and readiness. */
  @Test
  void compactKeepsDataAndSizeIsReported() {
    append(num("d1", "temp", T0, 1), num("d1", "temp", T0.plusSeconds(1), 2));
    store.compact();
    assertThat(store.diskBytes()).isPositive();
    assertThat(store.isReady()).isTrue();
    assertThat(allRaw(ACME, "d1")).hasSize(2);
    assertThatThrownBy(() -> store.raw(new RawQuery(ACME, "d1", Set.of(), T0, T0.plusSeconds(1), 1,
        Optional.of("garbage")))).isInstanceOf(ValidationException.class);
  }
}
