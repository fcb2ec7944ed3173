package io.flotilla.core.telemetry;

import io.flotilla.core.tenant.TenantId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one device message becomes after the door check: the points to store, or the rejection to keep
 * in the dead-letter store. The bus keeps batches of one device in order.
 */
public record TelemetryBatch(TenantId tenant, String deviceId, List<TelemetryPoint> points,
    Optional<RejectedTelemetry> rejection) {
  public TelemetryBatch {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(deviceId, "deviceId");
    points = List.copyOf(points);
    Objects.requireNonNull(rejection, "rejection");
  }

  public static TelemetryBatch of(TenantId tenant, String deviceId, List<TelemetryPoint> points) {
    return new TelemetryBatch(tenant, deviceId, points, Optional.empty());
  }

  public static TelemetryBatch rejected(RejectedTelemetry rejection) {
    return new TelemetryBatch(rejection.tenant(), rejection.deviceId(), List.of(), Optional.of(rejection));
  }

  /** The weight of this batch in queue accounting: its points, and at least one. */
  public int weight() {
    return Math.max(1, points.size());
  }
}
