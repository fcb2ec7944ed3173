package io.flotilla.core.telemetry;

import io.flotilla.core.device.RetentionPolicy;
import java.time.Duration;

/** The resolutions telemetry is kept at: raw points, then 1-minute and 1-hour rollups. */
public enum Tier {
  RAW(Duration.ZERO), MINUTE(Duration.ofMinutes(1)), HOUR(Duration.ofHours(1));

  private final Duration resolution;

  Tier(Duration resolution) {
    this.resolution = resolution;
  }

  /** The width of one rollup row; zero for raw points. */
  public Duration resolution() {
    return resolution;
  }

  /** How long {@code policy} keeps this tier. */
  public Duration keptBy(RetentionPolicy policy) {
    return switch (this) {
      case RAW -> policy.raw();
      case MINUTE -> policy.minute();
      case HOUR -> policy.hour();
    };
  }
}
