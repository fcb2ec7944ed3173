package io.flotilla.core.device;

import io.flotilla.core.error.ValidationException;
import java.util.Locale;

/** Where a device stands in its life. Decommissioned is final. */
public enum DeviceStatus {
  PROVISIONED, ACTIVE, SUSPENDED, DECOMMISSIONED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DeviceStatus fromWire(String field, String value) {
    for (DeviceStatus status : values()) {
      if (status.wireName().equals(value)) {
        return status;
      }
    }
    throw new ValidationException(field,
        "'" + value + "' is not a status; use provisioned, active, suspended or decommissioned");
  }

  /** Whether an operator may move a device from this status to {@code next}. */
  public boolean canBecome(DeviceStatus next) {
    return this == next || this != DECOMMISSIONED;
  }
}
