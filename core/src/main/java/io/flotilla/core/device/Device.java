package io.flotilla.core.device;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A registered device.
 *
 * @param tags key–value labels used for filtering and grouping (site=berlin)
 * @param attributes free-form descriptive JSON (serial number, hardware revision)
 * @param version rises by one on every change; exposed as the ETag
 */
public record Device(TenantId tenant, DeviceId id, String name, String profile, DeviceStatus status,
    Map<String, String> tags, ObjectNode attributes, Instant createdAt, Instant updatedAt, long version) {
  public Device {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(status, "status");
    tags = Map.copyOf(tags);
    Objects.requireNonNull(attributes, "attributes");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
