package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.telemetry.Aggregate;
import io.flotilla.core.telemetry.BucketValue;
import io.flotilla.core.telemetry.FleetBucket;
import io.flotilla.core.telemetry.LatestValue;
import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.telemetry.TelemetryValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The answers {@link QueryAnswers} derives by arithmetic agree with answers aggregated the plain way from the
 * points {@link QueryPointBatches} generates (two separate routes to the same figures), and any change to a
 * right answer is caught.
 */
class QueryAnswersTest {
  private static final QueryDataSet DATA = new QueryDataSet(400_000, 1200, 2, Instant.parse("2026-03-01T00:00:00Z"));
  private static final Instant DAY = DATA.lastDay();
  private static final int DENSE = 1000;
  private static List<TelemetryPoint> points;
  private final QueryAnswers answers = new QueryAnswers(DATA);

  @BeforeAll
  static void generate() {
    points = new ArrayList<>();
    new QueryPointBatches(DATA, 100_000).forEachRemaining(points::addAll);
  }

  @Test
  void deviceDayBucketsAreCheckedInFull() {
    List<BucketValue> right = deviceDay(SampleFleet.deviceId(DENSE));
    assertThatCode(() -> answers.checkDeviceDay(DENSE, right)).doesNotThrowAnyException();

    List<BucketValue> oneShort = new ArrayList<>(right);
    BucketValue bucket = oneShort.get(700);
    Map<Aggregate, Double> values = new EnumMap<>(bucket.values());
    values.put(Aggregate.COUNT, values.get(Aggregate.COUNT) - 1);
    oneShort.set(700, new BucketValue(bucket.key(), bucket.bucketStart(), values));
    assertThatThrownBy(() -> answers.checkDeviceDay(DENSE, oneShort)).isInstanceOf(QueryWrongAnswer.class)
        .hasMessageContaining("row 700");
    assertThatThrownBy(() -> answers.checkDeviceDay(DENSE, right.subList(1, right.size())))
        .isInstanceOf(QueryWrongAnswer.class).hasMessageContaining("5,760 rows expected, 5,759 returned");
  }

  @Test
  void latestValuesAreCheckedForEveryDeviceAndKey() {
    Map<String, TelemetryPoint> newest = new TreeMap<>();
    for (TelemetryPoint p : points) {
      newest.merge(p.deviceId() + "/" + p.key(), p, (a, b) -> b.time().isAfter(a.time()) ? b : a);
    }
    List<LatestValue> right = newest.values().stream()
        .map(p -> new LatestValue(p.deviceId(), p.key(), p.time(), p.value())).toList();
    assertThatCode(() -> answers.checkLatest(right)).doesNotThrowAnyException();

    List<LatestValue> stale = new ArrayList<>(right);
    LatestValue value = stale.get(10);
    stale.set(10, new LatestValue(value.deviceId(), value.key(), value.time().minusSeconds(1), value.value()));
    assertThatThrownBy(() -> answers.checkLatest(stale)).isInstanceOf(QueryWrongAnswer.class)
        .hasMessageContaining("latest value 10");
  }

  @Test
  void fleetBucketsAreCheckedWithTheirDeviceCounts() {
    String key = QueryDataSet.KEYS.get(1);
    Map<String, double[]> sums = new TreeMap<>();
    Map<String, Set<String>> devices = new HashMap<>();
    for (TelemetryPoint p : points) {
      if (p.key().equals(key) && !p.time().isBefore(DAY)) {
        long hour = Duration.between(DAY, p.time()).toHours();
        String group = QueryDataSet.site(Integer.parseInt(p.deviceId().substring(4)) - 1) + "/"
            + String.format("%02d", hour);
        double[] sum = sums.computeIfAbsent(group, g -> new double[2]);
        sum[0] += ((TelemetryValue.Num) p.value()).value();
        sum[1]++;
        devices.computeIfAbsent(group, g -> new HashSet<>()).add(p.deviceId());
      }
    }
    List<FleetBucket> right = new ArrayList<>();
    sums.forEach((group, sum) -> right.add(new FleetBucket(group.substring(0, 7),
        DAY.plus(Duration.ofHours(Long.parseLong(group.substring(8)))), sum[0] / sum[1], devices.get(group).size())));
    assertThatCode(() -> answers.checkFleet(1, right)).doesNotThrowAnyException();

    List<FleetBucket> miscounted = new ArrayList<>(right);
    FleetBucket bucket = miscounted.get(30);
    miscounted.set(30, new FleetBucket(bucket.group(), bucket.bucketStart(), bucket.value(), bucket.devices() + 1));
    assertThatThrownBy(() -> answers.checkFleet(1, miscounted)).isInstanceOf(QueryWrongAnswer.class)
        .hasMessageContaining("row 30");
    assertThatThrownBy(() -> answers.checkFleet(2, right)).isInstanceOf(QueryWrongAnswer.class)
        .hasMessageContaining("pressure");
  }

  @Test
  void rawPointsAreCheckedInTheirOrder() {
    String id = SampleFleet.deviceId(DENSE);
    Instant from = DAY.plus(Duration.ofHours(5));
    Instant to = from.plus(Duration.ofHours(1));
    List<TelemetryPoint> right = points.stream()
        .filter(p -> p.deviceId().equals(id) && !p.time().isBefore(from) && p.time().isBefore(to))
        .sorted(Comparator.comparing(TelemetryPoint::time).thenComparing(TelemetryPoint::key)).toList();
    assertThatCode(() -> answers.checkRaw(DENSE, from, to, right)).doesNotThrowAnyException();

    List<TelemetryPoint> swapped = new ArrayList<>(right);
    swapped.set(0, right.get(1));
    swapped.set(1, right.get(0));
    assertThatThrownBy(() -> answers.checkRaw(DENSE, from, to, swapped)).isInstanceOf(QueryWrongAnswer.class)
        .hasMessageContaining("point 0");
  }

  private static List<BucketValue> deviceDay(String id) {
    Map<String, List<TelemetryPoint>> byBucket = new TreeMap<>();
    for (TelemetryPoint p : points) {
      if (p.deviceId().equals(id) && !p.time().isBefore(DAY)) {
        long minute = Duration.between(DAY, p.time()).toMinutes();
        byBucket.computeIfAbsent(p.key() + "/" + String.format("%04d", minute), b -> new ArrayList<>()).add(p);
      }
    }
    List<BucketValue> buckets = new ArrayList<>();
    byBucket.forEach((bucket, inBucket) -> {
      List<Double> values = inBucket.stream().sorted(Comparator.comparing(TelemetryPoint::time))
          .map(p -> ((TelemetryValue.Num) p.value()).value()).toList();
      double sum = values.stream().mapToDouble(Double::doubleValue).sum();
      buckets.add(new BucketValue(bucket.substring(0, bucket.indexOf('/')),
          DAY.plus(Duration.ofMinutes(Long.parseLong(bucket.substring(bucket.indexOf('/') + 1)))),
          Map.of(Aggregate.AVG, sum / values.size(), Aggregate.MIN, values.stream().min(Double::compare).orElseThrow(),
              Aggregate.MAX, values.stream().max(Double::compare).orElseThrow(), Aggregate.SUM, sum,
              Aggregate.COUNT, (double) values.size(), Aggregate.FIRST, values.getFirst(), Aggregate.LAST,
              values.getLast())));
    });
    return buckets;
  }
}
