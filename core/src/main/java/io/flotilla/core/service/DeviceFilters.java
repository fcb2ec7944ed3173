package io.flotilla.core.service;

import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.FieldReader;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the filter of a dynamic group from JSON. */
final class DeviceFilters {
  static final Set<String> FIELDS = Set.of("profile", "status", "tags", "memberOf", "idPrefix", "online");

  private DeviceFilters() {}

  /** Reads {@code field} of the parent, which the caller checked is an object. */
  static DeviceFilter read(FieldReader parent, String field) {
    FieldReader r = parent.nested(field, FIELDS).orElseThrow();
    Optional<String> profile = r.string("profile");
    Optional<DeviceStatus> status = Optional.empty();
    Optional<String> statusText = r.string("status");
    if (statusText.isPresent()) {
      try {
        status = Optional.of(DeviceStatus.fromWire("status", statusText.get()));
      } catch (ValidationException e) {
        r.error("status", e.errors().get(0).message());
      }
    }
    Map<String, String> tags = r.stringMap("tags");
    Texts.tags(r, "tags", tags);
    return new DeviceFilter(profile, status, tags, r.string("memberOf"), r.string("idPrefix"), r.bool("online"));
  }
}
