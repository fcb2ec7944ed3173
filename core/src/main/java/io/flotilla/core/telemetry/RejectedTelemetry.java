package io.flotilla.core.telemetry;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * A payload refused at the door, kept in the dead-letter store so an operator can see why a device's
 * data is missing.
 *
 * @param id        assigned by the store, increasing; 0 before it is stored
 * @param transport {@code mqtt} or {@code http}
 * @param reason    the first violation, as the device was told
 * @param payload   the start of the payload as text (bounded), for diagnosis
 */
public record RejectedTelemetry(long id, TenantId tenant, String deviceId, String profileId, String transport,
    Instant receivedAt, String reason, String payload, int payloadBytes) {
  public RejectedTelemetry {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(payload, "payload");
  }
}
