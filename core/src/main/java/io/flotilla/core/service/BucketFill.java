package io.flotilla.core.service;

import io.flotilla.core.telemetry.Aggregate;
import io.flotilla.core.telemetry.BucketValue;
import io.flotilla.core.telemetry.TimeBuckets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a store's bucket rows into one series per key, with empty buckets filled as asked. */
final class BucketFill {

  /** The most buckets a filled series may have, so a tiny bucket over a long range cannot exhaust memory. */
  static final int MAX_FILLED = 100_000;

  private BucketFill() {
  }

  static List<TelemetryService.Series> series(List<BucketValue> rows, TimeBuckets buckets, Instant from, Instant to,
      Set<Aggregate> aggregates, TelemetryService.Fill fill) {
    Map<String, List<BucketValue>> byKey = new LinkedHashMap<>();
    for (BucketValue row : rows) {
      byKey.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(row);
    }
    List<TelemetryService.Series> out = new ArrayList<>(byKey.size());
    for (Map.Entry<String, List<BucketValue>> e : byKey.entrySet()) {
      out.add(new TelemetryService.Series(e.getKey(), fill == TelemetryService.Fill.NONE
          ? asIs(e.getValue()) : filled(e.getValue(), buckets, from, to, aggregates, fill)));
    }
    return out;
  }

  private static List<TelemetryService.Bucket> asIs(List<BucketValue> rows) {
    return rows.stream().map(r -> new TelemetryService.Bucket(r.bucketStart(), r.values())).toList();
  }

  private static List<TelemetryService.Bucket> filled(List<BucketValue> rows, TimeBuckets buckets, Instant from,
      Instant to, Set<Aggregate> aggregates, TelemetryService.Fill fill) {
    List<TelemetryService.Bucket> out = new ArrayList<>();
    int next = 0;
    Map<Aggregate, Double> previous = null;
    for (Instant start = buckets.floor(from); start.isBefore(to); start = buckets.next(start)) {
      if (out.size() >= MAX_FILLED) {
        throw new io.flotilla.core.error.ValidationException("bucket",
            "more than " + MAX_FILLED + " buckets in the range; use a larger bucket or fill=none");
      }
      while (next < rows.size() && rows.get(next).bucketStart().isBefore(start)) {
        next++;
      }
      if (next < rows.size() && rows.get(next).bucketStart().equals(start)) {
        previous = rows.get(next).values();
        out.add(new TelemetryService.Bucket(start, previous));
        next++;
        continue;
      }
      out.add(new TelemetryService.Bucket(start, switch (fill) {
        case ZERO -> constant(aggregates, 0.0);
        case PREVIOUS -> previous == null ? constant(aggregates, null) : previous;
        default -> constant(aggregates, null);
      }));
    }
    return out;
  }

  private static Map<Aggregate, Double> constant(Set<Aggregate> aggregates, Double value) {
    Map<Aggregate, Double> values = new EnumMap<>(Aggregate.class);
    aggregates.forEach(a -> values.put(a, value));
    return values;
  }
}
