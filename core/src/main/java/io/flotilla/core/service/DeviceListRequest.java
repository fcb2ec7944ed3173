package io.flotilla.core.service;

import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceSort;
import io.flotilla.core.error.ValidationException;
import java.util.Objects;
import java.util.Optional;

/**
 * A page of the device list as a caller asks for it.
 *
 * @param group a static or dynamic group the devices must belong to
 * @param cursor the {@code nextCursor} of the previous page
 */
public record DeviceListRequest(DeviceFilter filter, Optional<String> group, DeviceSort sort, int limit,
    Optional<String> cursor) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public DeviceListRequest {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(sort, "sort");
    Objects.requireNonNull(cursor, "cursor");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ValidationException("limit", "must be between 1 and " + MAX_LIMIT);
    }
  }

  public static DeviceListRequest all() {
    return new DeviceListRequest(DeviceFilter.ALL, Optional.empty(), DeviceSort.BY_ID, DEFAULT_LIMIT, Optional.empty());
  }
}
