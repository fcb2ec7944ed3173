package io.flotilla.core.device;

import io.flotilla.core.error.FieldError;
import io.flotilla.core.error.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How long a profile's telemetry is kept at each tier, in whole days: raw points older than {@code rawDays}
 * are deleted once rolled up; 1-minute rollups after {@code minuteDays}; 1-hour rollups after {@code hourDays}.
 *
 * <p>Each tier is kept at least as long as the finer one before it: queries over a range the finer tier no
 * longer holds are answered from the coarser one, so a coarser tier that expired first would leave a hole.
 * Problems are reported with the component names as field paths.
 */
public record RetentionPolicy(long rawDays, long minuteDays, long hourDays) {
  /** A hundred years: longer is a mistake rather than a plan. */
  public static final long MAX_DAYS = 36_500;
  /** What a profile without a retention of its own keeps. */
  public static final RetentionPolicy DEFAULT = new RetentionPolicy(30, 90, 730);

  public RetentionPolicy {
    List<FieldError> errors = new ArrayList<>();
    checkRange(errors, "rawDays", rawDays);
    checkRange(errors, "minuteDays", minuteDays);
    checkRange(errors, "hourDays", hourDays);
    if (errors.isEmpty() && minuteDays < rawDays) {
      errors.add(new FieldError("minuteDays", "is " + minuteDays + " but must be at least rawDays (" + rawDays
          + "): the 1-minute rollups answer for raw points once those have expired"));
    }
    if (errors.isEmpty() && hourDays < minuteDays) {
      errors.add(new FieldError("hourDays", "is " + hourDays + " but must be at least minuteDays (" + minuteDays
          + "): the 1-hour rollups answer for 1-minute rollups once those have expired"));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  public Duration raw() {
    return Duration.ofDays(rawDays);
  }

  public Duration minute() {
    return Duration.ofDays(minuteDays);
  }

  public Duration hour() {
    return Duration.ofDays(hourDays);
  }

  private static void checkRange(List<FieldError> errors, String field, long days) {
    if (days < 1 || days > MAX_DAYS) {
      errors.add(new FieldError(field, "is " + days + " but must be a whole number of days from 1 to " + MAX_DAYS));
    }
  }
}
