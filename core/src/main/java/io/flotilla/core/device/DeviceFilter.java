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

  /**
   * Whether the device matches, for checks made in memory (a static-group condition is ignored).
   * Connectivity is not part of {@link Device}, so the caller says whether it is online.
   */
  public boolean matchesIgnoringMembership(Device device, boolean deviceOnline) {
    return profile.map(device.profile()::equals).orElse(true)
        && status.map(s -> s == device.status()).orElse(true)
        && idPrefix.map(p -> device.id().value().startsWith(p)).orElse(true)
        && online.map(o -> o == deviceOnline).orElse(true)
        && tags.entrySet().stream().allMatch(e -> e.getValue().equals(device.tags().get(e.getKey())));
  }
}
