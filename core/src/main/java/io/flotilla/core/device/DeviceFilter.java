package io.flotilla.core.device;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A conjunction of conditions on devices; an empty filter matches every device. Dynamic groups
 * are defined by one of these.
 *
 * @param tags every entry must be present on the device with this exact value
 * @param memberOf a static group the device must belong to
 * @param idPrefix the device id must start with this
 * @param online true: only devices connected now; false: only devices not connected now
 */
public record DeviceFilter(Optional<String> profile, Optional<DeviceStatus> status, Map<String, String> tags,
    Optional<String> memberOf, Optional<String> idPrefix, Optional<Boolean> online) {
  public static final DeviceFilter ALL = new DeviceFilter(Optional.empty(), Optional.empty(), Map.of(),
      Optional.empty(), Optional.empty(), Optional.empty());

  public DeviceFilter {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(status, "status");
    tags = Map.copyOf(tags);
    Objects.requireNonNull(memberOf, "memberOf");
    Objects.requireNonNull(idPrefix, "idPrefix");
    Objects.requireNonNull(online, "online");
  }
}
