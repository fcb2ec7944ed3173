package io.flotilla.core.telemetry;

import java.time.Instant;

/** The newest value (by reading time) of one key of one device. */
public record LatestValue(String deviceId, String key, Instant time, TelemetryValue value) {
}
