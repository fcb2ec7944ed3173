package io.flotilla.core.device;

import io.flotilla.core.error.ValidationException;
import java.util.Locale;

/**
 * What happens to a decommissioned device's telemetry: {@link #NOW} deletes every stored point at once;
 * {@link #RETENTION} leaves it to expire tier by tier under its profile's retention, like every other device's
 * (the telemetry lifecycle already expires raw points and rollups by profile, so nothing more is scheduled).
 */
public enum PurgeMode {
  NOW, RETENTION;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PurgeMode fromWire(String field, String value) {
    for (PurgeMode mode : values()) {
      if (mode.wireName().equals(value)) {
        return mode;
      }
    }
    throw new ValidationException(field, "'" + value + "' is not a purge mode; use now or retention");
  }
}
