package io.flotilla.core.device;

import io.flotilla.core.error.ValidationException;

/**
 * The order of a device list. Every order ends with the device id, so that it is total and a
 * cursor names one exact place in it.
 */
public record DeviceSort(Field field, boolean descending) {
  public static final DeviceSort BY_ID = new DeviceSort(Field.ID, false);

  /** The fields a list can be sorted by, with their wire names. */
  public enum Field {
    ID("id"), CREATED_AT("createdAt"), UPDATED_AT("updatedAt"), NAME("name"), STATUS("status"), PROFILE("profile");

    private final String wireName;

    Field(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** Parses {@code createdAt} or {@code -createdAt} (descending). */
  public static DeviceSort parse(String value) {
    boolean descending = value.startsWith("-");
    String name = descending ? value.substring(1) : value;
    for (Field field : Field.values()) {
      if (field.wireName.equals(name)) {
        return new DeviceSort(field, descending);
      }
    }
    throw new ValidationException("sort", "'" + value
        + "' cannot be sorted by; use id, createdAt, updatedAt, name, status or profile, with '-' for descending");
  }

  public String wireName() {
    return (descending ? "-" : "") + field.wireName;
  }
}
