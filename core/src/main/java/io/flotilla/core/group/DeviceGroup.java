package io.flotilla.core.group;

import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A named set of devices.
 *
 * @param filter present exactly when the group is dynamic
 */
public record DeviceGroup(TenantId tenant, String id, String name, String description, GroupType type,
    Optional<DeviceFilter> filter, Instant createdAt, Instant updatedAt, long version) {
  public DeviceGroup {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(filter, "filter");
    if (filter.isPresent() != (type == GroupType.DYNAMIC)) {
      throw new IllegalArgumentException("a dynamic group needs a filter and a static group has none");
    }
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
