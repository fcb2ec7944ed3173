package io.flotilla.core.telemetry;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One reading as a device sent it, checked and flattened: its values by flattened key, in the order
 * the device sent them, and the device's own timestamp when it sent one ({@code ts}).
 *
 * <p>The map is not copied (this is built for every message); it is wrapped read-only, so whoever builds
 * a reading hands its map over and must not change it afterwards.
 *
 * @param values never empty; keys are flattened ({@code engine.temp}); {@code ts} is not among them
 */
public record Reading(Optional<Instant> deviceTime, Map<String, TelemetryValue> values) {
  public Reading {
    Objects.requireNonNull(deviceTime, "deviceTime");
    values = Collections.unmodifiableMap(values);
    if (values.isEmpty()) {
      throw new IllegalArgumentException("a reading has at least one value");
    }
  }

  /** The reading's time: the device's timestamp when it sent one, else when the server received it. */
  public Instant time(Instant receivedAt) {
    return deviceTime.orElse(receivedAt);
  }

  /** One point per value of each reading, in order; the points of a reading share its time. */
  public static List<TelemetryPoint> toPoints(TenantId tenant, String deviceId, String profileId,
      List<Reading> readings, Instant receivedAt) {
    int size = 0;
    for (Reading reading : readings) {
      size += reading.values.size();
    }
    List<TelemetryPoint> points = new ArrayList<>(size);
    for (Reading reading : readings) {
      Instant time = reading.time(receivedAt);
      reading.values.forEach((key, value) ->
          points.add(new TelemetryPoint(tenant, deviceId, profileId, key, time, receivedAt, value)));
    }
    return points;
  }
}
