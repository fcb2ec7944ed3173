package io.flotilla.tools.bench;

import io.flotilla.core.paging.Page;
import io.flotilla.core.telemetry.Aggregate;
import io.flotilla.core.telemetry.BucketQuery;
import io.flotilla.core.telemetry.BucketValue;
import io.flotilla.core.telemetry.FleetBucket;
import io.flotilla.core.telemetry.FleetQuery;
import io.flotilla.core.telemetry.LatestValue;
import io.flotilla.core.telemetry.RawQuery;
import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.telemetry.TelemetryStore;
import io.flotilla.core.telemetry.Tier;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The benchmark's queries on one loaded store, asked as the server's telemetry service asks them for recent
 * data (raw tier, UTC). Repetition {@code rep} of each picks its own device, key or hour; only the store call is
 * timed, and every answer is checked by {@link QueryAnswers} afterwards.
 */
final class QueryCases {
  static final int RAW_PAGE = 1_000;
  private static final Set<String> KEYS = Set.copyOf(QueryDataSet.KEYS);

  /** One repetition's time inside the store and the rows it returned. */
  record Run(long nanos, long rows) {}

  private final TelemetryStore store;
  private final QueryAnswers answers;
  private final String[] ids;
  private final List<String> everyDevice;
  private final Map<String, String> siteOfDevice;
  private final int[] dense;
  private final Instant day;

  QueryCases(TelemetryStore store, QueryDataSet data) {
    this.store = store;
    this.answers = new QueryAnswers(data);
    this.ids = QueryPointBatches.deviceIds(data.devices());
    this.everyDevice = List.of(ids);
    Map<String, String> sites = new HashMap<>();
    IntStream.range(0, data.devices()).forEach(device -> sites.put(ids[device], QueryDataSet.site(device)));
    this.siteOfDevice = Map.copyOf(sites);
    this.dense = denseDevicesShuffled(data);
    this.day = data.lastDay();
  }

  /** The 1-minute buckets of one dense device's last day: every key, every aggregate. */
  Run deviceDay(int rep) {
    int device = dense[rep % dense.length];
    BucketQuery query = new BucketQuery(QueryPointBatches.TENANT, ids[device], KEYS, day, day.plus(Duration.ofDays(1)),
        Duration.ofMinutes(1), ZoneOffset.UTC, EnumSet.allOf(Aggregate.class), Tier.RAW);
    long start = System.nanoTime();
    List<BucketValue> buckets = store.buckets(query);
    long nanos = System.nanoTime() - start;
    answers.checkDeviceDay(device, buckets);
    long counted = buckets.stream().mapToLong(b -> b.values().get(Aggregate.COUNT).longValue()).sum();
    if (counted != answers.pointsOnLastDay(device)) {
      throw new QueryWrongAnswer("the buckets of " + ids[device] + " count " + counted + " points, not "
          + answers.pointsOnLastDay(device));
    }
    return new Run(nanos, buckets.size());
  }

  /** The latest value of every key of every device of the fleet. */
  Run latest(int rep) {
    long start = System.nanoTime();
    List<LatestValue> latest = store.latest(QueryPointBatches.TENANT, everyDevice, KEYS);
    long nanos = System.nanoTime() - start;
    answers.checkLatest(latest);
    return new Run(nanos, latest.size());
  }

  /** The hourly average of one key (another each repetition) per site over the last day, whole fleet. */
  Run fleet(int rep) {
    int key = rep % QueryDataSet.KEYS.size();
    FleetQuery query = new FleetQuery(QueryPointBatches.TENANT, siteOfDevice, QueryDataSet.KEYS.get(key),
        Aggregate.AVG, day, day.plus(Duration.ofDays(1)), Duration.ofHours(1), ZoneOffset.UTC, Tier.RAW);
    long start = System.nanoTime();
    List<FleetBucket> buckets = store.fleet(query);
    long nanos = System.nanoTime() - start;
    answers.checkFleet(key, buckets);
    return new Run(nanos, buckets.size());
  }

  /** Every raw point of one dense device in one hour of the last day, page after page; the time is all pages'. */
  Run rawHour(int rep) {
    int device = dense[(rep + dense.length / 2) % dense.length];
    Instant from = day.plus(Duration.ofHours(Math.floorMod(QueryDataSet.mix(rep, 13), 24)));
    Instant to = from.plus(Duration.ofHours(1));
    List<TelemetryPoint> points = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    long nanos = 0;
    do {
      RawQuery query = new RawQuery(QueryPointBatches.TENANT, ids[device], Set.of(), from, to, RAW_PAGE, cursor);
      long start = System.nanoTime();
      Page<TelemetryPoint> page = store.raw(query);
      nanos += System.nanoTime() - start;
      points.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    answers.checkRaw(device, from, to, points);
    return new Run(nanos, points.size());
  }

  /** The dense devices in a fixed, scattered order, so that consecutive runs read devices far apart. */
  static int[] denseDevicesShuffled(QueryDataSet data) {
    return IntStream.range(0, data.denseDevices()).map(i -> i * QueryDataSet.DENSE_STRIDE).boxed()
        .sorted(Comparator.comparingLong(device -> QueryDataSet.mix(device, 5))).mapToInt(Integer::intValue).toArray();
  }
}
