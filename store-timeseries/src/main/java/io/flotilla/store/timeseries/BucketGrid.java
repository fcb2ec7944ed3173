package io.flotilla.store.timeseries;

import io.flotilla.core.error.ValidationException;
import io.flotilla.core.telemetry.Tier;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The bucket starts of a query in its zone, and the SQL expression that maps a time column (epoch micros) to
 * the start of its bucket.
 *
 * <p>The starts are computed here, with the JDK's zone rules, so both engines align buckets identically: a
 * day bucket starts at local midnight (a DST day is 23 or 25 hours long), smaller buckets at multiples of
 * their size since local midnight (a local time that occurs twice starts two buckets; one that does not
 * exist starts none). The starts are then compressed into runs of equal spacing, and each run becomes one
 * branch of a {@code CASE}: {@code t - ((t - runStart) % step)}. A year of hourly buckets in Berlin is three
 * branches.
 */
final class BucketGrid {
  private static final Duration DAY = Duration.ofDays(1);
  private static final long MAX_BUCKETS = 2_000_000;
  private static final int MAX_RUNS = 2_000;

  private final List<Long> starts;
  private final List<Run> runs;

  private record Run(long start, long step, long end) {
  }

  private BucketGrid(List<Long> starts) {
    this.starts = starts;
    this.runs = runsOf(starts);
    if (runs.size() > MAX_RUNS) {
      throw new ValidationException("bucket", "buckets of this size do not repeat regularly in the zone; "
          + "ask for a bucket that divides a day, or a shorter range");
    }
  }

  /** The grid covering {@code [from, to)}: its first start is at or before {@code from}, its last at or after {@code to}. */
  static BucketGrid of(Instant from, Instant to, Duration bucket, ZoneId zone) {
    if (bucket.isNegative() || bucket.isZero()) {
      throw new IllegalArgumentException("bucket must be positive, not " + bucket);
    }
    if (!from.isBefore(to)) {
      return new BucketGrid(List.of(EpochMicros.of(from), EpochMicros.of(from) + 1));
    }
    if (Duration.between(from, to).dividedBy(bucket) > MAX_BUCKETS) {
      throw new ValidationException("bucket", "more than " + MAX_BUCKETS + " buckets: ask for a larger bucket or a shorter range");
    }
    TreeSet<Long> all = bucket.compareTo(DAY) >= 0 ? dayStarts(from, to, bucket, zone) : subDayStarts(from, to, bucket, zone);
    long fromUs = EpochMicros.of(from);
    long toUs = EpochMicros.of(to);
    Long first = all.floor(fromUs);
    Long last = all.ceiling(toUs);
    return new BucketGrid(new ArrayList<>(all.subSet(first, true, last, true)));
  }

  private static TreeSet<Long> dayStarts(Instant from, Instant to, Duration bucket, ZoneId zone) {
    if (bucket.toSeconds() % 86_400L != 0 || bucket.getNano() != 0) {
      throw new ValidationException("bucket", "a bucket of a day or more must be a whole number of days, not " + bucket);
    }
    long days = bucket.toDays();
    LocalDate date = LocalDate.ofInstant(from, zone);
    date = date.minusDays(Math.floorMod(date.toEpochDay(), days));
    TreeSet<Long> starts = new TreeSet<>();
    while (true) {
      long start = EpochMicros.of(date.atStartOfDay(zone).toInstant());
      starts.add(start);
      if (start >= EpochMicros.of(to)) {
        return starts;
      }
      date = date.plusDays(days);
    }
  }

  private static TreeSet<Long> subDayStarts(Instant from, Instant to, Duration bucket, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    TreeSet<Long> starts = new TreeSet<>();
    LocalDate date = LocalDate.ofInstant(from, zone).minusDays(1);
    long toUs = EpochMicros.of(to);
    while (true) {
      long dayStart = EpochMicros.of(date.atStartOfDay(zone).toInstant());
      if (dayStart > toUs) {
        starts.add(dayStart);
        return starts;
      }
      starts.add(dayStart);
      for (Duration offset = bucket; offset.compareTo(DAY) < 0; offset = offset.plus(bucket)) {
        LocalDateTime local = date.atStartOfDay().plus(offset);
        for (ZoneOffset zoneOffset : rules.getValidOffsets(local)) {
          starts.add(EpochMicros.of(local.toInstant(zoneOffset)));
        }
      }
      date = date.plusDays(1);
    }
  }

  private static List<Run> runsOf(List<Long> starts) {
    List<Run> runs = new ArrayList<>();
    int i = 0;
    while (i < starts.size() - 1) {
      long step = starts.get(i + 1) - starts.get(i);
      int j = i + 1;
      while (j < starts.size() - 1 && starts.get(j + 1) - starts.get(j) == step) {
        j++;
      }
      runs.add(new Run(starts.get(i), step, starts.get(j)));
      i = j;
    }
    return runs;
  }

  /** SQL mapping {@code column} (epoch micros within the grid) to its bucket start; only integer literals. */
  String bucketOf(String column) {
    StringBuilder sql = new StringBuilder("CASE");
    for (Run run : runs) {
      sql.append(" WHEN ").append(column).append(" < ").append(run.end())
          .append(" THEN ").append(column).append(" - ((").append(column).append(" - ").append(run.start())
          .append(") % ").append(run.step()).append(')');
    }
    return sql.append(" END").toString();
  }

  /**
   * Refuses a grid a rollup tier cannot serve: each bucket must be made of whole rollup rows, so every start
   * must fall on a row boundary (an hour tier cannot serve Asia/Kolkata's local hours, which start at :30).
   */
  void requireServableBy(Tier tier) {
    long resolution = tier.resolution().toNanos() / 1_000;
    if (resolution == 0) {
      return;
    }
    for (Long start : starts) {
      if (Math.floorMod(start, resolution) != 0) {
        throw new ValidationException("bucket", "the " + tier.name().toLowerCase(java.util.Locale.ROOT)
            + " tier cannot serve buckets starting at " + EpochMicros.toInstant(start)
            + ": its rows do not fit them; ask for a finer tier or a bucket aligned to whole "
            + tier.resolution().toMinutes() + "-minute rows");
      }
    }
  }
}
