package io.flotilla.core.device;

import io.flotilla.core.Identifiers;

/** A device's id, unique within its tenant; it is also the device's MQTT client id. */
public record DeviceId(String value) implements Comparable<DeviceId> {
  public DeviceId {
    Identifiers.requireEntityId("id", value);
  }

  @Override
  public int compareTo(DeviceId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
