package io.flotilla.core.device;

import io.flotilla.core.error.ValidationException;
import java.util.Locale;

/** How sensitive a telemetry or attribute field is; drives masking and retention rules. */
public enum DataClass {
  /** Personal data: masked for roles without access, purged on request. */
  PII,
  /** Ordinary operational readings. */
  OPERATIONAL,
  /** Diagnostics: logs, counters, debug values. */
  DIAGNOSTIC;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DataClass fromWire(String field, String value) {
    for (DataClass c : values()) {
      if (c.wireName().equals(value)) {
        return c;
      }
    }
    throw new ValidationException(field, "'" + value + "' is not a data class; use pii, operational or diagnostic");
  }
}
