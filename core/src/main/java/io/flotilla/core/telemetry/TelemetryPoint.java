package io.flotilla.core.telemetry;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * One stored data point: one key of one reading of one device.
 *
 * @param profileId  the device's profile when the point arrived; retention tiers are kept per profile
 * @param time       the reading's time: the device's timestamp when it sent one, else {@code receivedAt}
 * @param receivedAt when the server received it (server clock)
 * @param key        flattened key, nested objects joined by dots ({@code engine.temp})
 */
public record TelemetryPoint(TenantId tenant, String deviceId, String profileId, String key, Instant time,
    Instant receivedAt, TelemetryValue value) {
  public TelemetryPoint {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(value, "value");
  }
}
