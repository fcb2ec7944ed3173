package io.flotilla.core.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The caller-settable fields of a device, read from JSON with every problem reported by path. */
record DeviceFields(String name, String profile, DeviceStatus status, Map<String, String> tags, ObjectNode attributes) {
  static final Set<String> CREATE_FIELDS = Set.of("id", "name", "profile", "status", "tags", "attributes");
  static final Set<String> PATCH_FIELDS = Set.of("name", "profile", "status", "tags", "attributes");
  static final int MAX_ATTRIBUTES_BYTES = 16 * 1024;
  static final int MAX_ATTRIBUTES_DEPTH = 10;

  /** Reads the fields; {@code defaultName} is used when no name is given. Errors stay in the reader. */
  static Optional<DeviceFields> read(FieldReader r, String defaultName) {
    String name = Texts.name(r, "name", r.string("name").orElse(defaultName));
    Optional<String> profile = r.string("profile");
    if (profile.isEmpty() && !r.hasErrorAt("profile")) {
      r.error("profile", "is required: name the device profile this device uses");
    }
    DeviceStatus status = DeviceStatus.PROVISIONED;
    Optional<String> statusText = r.string("status");
    if (statusText.isPresent()) {
      try {
        status = DeviceStatus.fromWire("status", statusText.get());
      } catch (ValidationException e) {
        r.error("status", e.errors().get(0).message());
      }
    }
    Map<String, String> tags = r.stringMap("tags");
    Texts.tags(r, "tags", tags);
    ObjectNode attributes = r.object("attributes").orElseGet(Json::object);
    if (Json.write(attributes).length() > MAX_ATTRIBUTES_BYTES) {
      r.error("attributes", "is larger than " + MAX_ATTRIBUTES_BYTES + " bytes");
    } else if (Json.depth(attributes) > MAX_ATTRIBUTES_DEPTH) {
      r.error("attributes", "is nested deeper than " + MAX_ATTRIBUTES_DEPTH + " levels");
    }
    if (r.hasErrors() || profile.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new DeviceFields(name, profile.get(), status, tags, attributes));
  }
}
