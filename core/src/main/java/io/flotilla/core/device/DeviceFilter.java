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
 */
public record DeviceFilter(Optional<String> profile, Optional<DeviceStatus> status, Map<String, String> tags,
    Optional<String> memberOf, Optional<String> idPrefix) {
  public static final DeviceFilter ALL =
      new DeviceFilter(Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), Optional.empty());

  public DeviceFilter {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(status, "status");
    tags = Map.copyOf(tags);
    Objects.requireNonNull(memberOf, "memberOf");
    Objects.requireNonNull(idPrefix, "idPrefix");
  }

  /** Whether the device matches, for checks made in memory (a static-group condition is ignored). */
  public boolean matchesIgnoringMembership(Device device) {
    return profile.map(device.profile()::equals).orElse(true)
        && status.map(s -> s == device.status()).orElse(true)
        && idPrefix.map(p -> device.id().value().startsWith(p)).orElse(true)
        && tags.entrySet().stream().allMatch(e -> e.getValue().equals(device.tags().get(e.getKey())));
  }
}
