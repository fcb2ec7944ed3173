package io.flotilla.core.telemetry;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a profile's telemetry is kept at each tier. Raw points older than {@code raw} are deleted
 * once rolled up; 1-minute rollups after {@code minute}; 1-hour rollups after {@code hour}.
 */
public record RetentionPolicy(Duration raw, Duration minute, Duration hour) {
  public static final RetentionPolicy DEFAULT =
      new RetentionPolicy(Duration.ofDays(30), Duration.ofDays(90), Duration.ofDays(730));

  public RetentionPolicy {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(minute, "minute");
    Objects.requireNonNull(hour, "hour");
  }

  public Duration of(Tier tier) {
    return switch (tier) {
      case RAW -> raw;
      case MINUTE -> minute;
      case HOUR -> hour;
    };
  }
}
