package io.flotilla.core.device;

import io.flotilla.core.error.ValidationException;
import java.util.Locale;

/**
 * Where a device stands in its life. Decommissioned is final. Pending is where a device registered just in
 * time waits when its CA's template asks for approval: it may not connect until an operator sets it active.
 */
public enum DeviceStatus {
  PROVISIONED, ACTIVE, SUSPENDED, DECOMMISSIONED, PENDING;

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
        "'" + value + "' is not a status; use provisioned, pending, active, suspended or decommissioned");
  }

  /** Whether an operator may move a device from this status to {@code next}. */
  public boolean canBecome(DeviceStatus next) {
    return this == next || this != DECOMMISSIONED;
  }
}
