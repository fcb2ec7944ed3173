package io.flotilla.core.telemetry;

import io.flotilla.core.error.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Where time buckets start, as users of a zone expect: buckets of whole days start at local midnight
 * (a DST day is 23 or 25 hours long), buckets that divide a day start at multiples of their size since
 * local midnight (so hour buckets start at the top of the local hour, also in zones with half-hour
 * offsets). The stores align their buckets the same way, so gaps can be filled here.
 */
public record TimeBuckets(Duration size, ZoneId zone) {

  private static final long DAY_SECONDS = 86_400;

  public TimeBuckets {
    check(size);
  }

  /** Refuses bucket sizes that cannot be aligned: under a second, or neither dividing a day nor whole days. */
  public static void check(Duration size) {
    long seconds = size.getSeconds();
    if (size.getNano() != 0 || seconds < 1 || (DAY_SECONDS % seconds != 0 && seconds % DAY_SECONDS != 0)) {
      throw new ValidationException("bucket", "'" + size + "' cannot be aligned: use whole seconds that divide a"
          + " day (1m, 5m, 15m, 1h, 6h…) or whole days (1d, 7d)");
    }
  }

  /** The start of the bucket holding {@code t}. */
  public Instant floor(Instant t) {
    long seconds = size.getSeconds();
    ZonedDateTime local = t.atZone(zone);
    LocalDate date = local.toLocalDate();
    if (seconds >= DAY_SECONDS) {
      long days = seconds / DAY_SECONDS;
      long epochDay = Math.floorDiv(date.toEpochDay(), days) * days;
      return LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toInstant();
    }
    long secondOfDay = local.toLocalTime().toSecondOfDay();
    LocalTime start = LocalTime.ofSecondOfDay(secondOfDay - secondOfDay % seconds);
    Instant aligned = ZonedDateTime.ofLocal(date.atTime(start), zone, local.getOffset()).toInstant();
    // In the repeated hour after a DST change the local start may map to a later instant; clamp.
    return aligned.isAfter(t) ? ZonedDateTime.ofLocal(date.atTime(start), zone, null).toInstant() : aligned;
  }

  /** The start of the bucket after the one starting at {@code start}. */
  public Instant next(Instant start) {
    long seconds = size.getSeconds();
    ZonedDateTime local = start.atZone(zone);
    if (seconds >= DAY_SECONDS) {
      return local.toLocalDate().plusDays(seconds / DAY_SECONDS).atStartOfDay(zone).toInstant();
    }
    long next = local.toLocalTime().toSecondOfDay() + seconds;
    if (next >= DAY_SECONDS) {
      return local.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
    }
    Instant candidate = ZonedDateTime.ofLocal(local.toLocalDate().atTime(LocalTime.ofSecondOfDay(next)), zone,
        local.getOffset()).toInstant();
    return candidate.isAfter(start) ? candidate : start.plus(size);
  }
}
