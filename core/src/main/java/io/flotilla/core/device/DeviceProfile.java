package io.flotilla.core.device;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A device type: what its telemetry looks like and how long it is kept, the twin a new device starts
 * with, and how sensitive each field is.
 *
 * @param classification data class per field path ({@code location.lat} → pii)
 * @param retention the profile's own retention; empty follows {@link RetentionPolicy#DEFAULT}, also when
 *     that default changes, so a profile that never chose one is never pinned to an old default
 */
public record DeviceProfile(TenantId tenant, String id, String name, String description,
    Optional<ObjectNode> telemetrySchema, ObjectNode defaultTwin, Map<String, DataClass> classification,
    Optional<RetentionPolicy> retention, Instant createdAt, Instant updatedAt, long version) {
  public DeviceProfile {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(telemetrySchema, "telemetrySchema");
    Objects.requireNonNull(defaultTwin, "defaultTwin");
    classification = Map.copyOf(classification);
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** The retention that applies: the profile's own, or the default. */
  public RetentionPolicy effectiveRetention() {
    return retention.orElse(RetentionPolicy.DEFAULT);
  }
}
