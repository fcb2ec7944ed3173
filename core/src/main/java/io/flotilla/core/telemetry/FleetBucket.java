package io.flotilla.core.telemetry;

import java.time.Instant;

/** A fleet aggregate's value for one group in one bucket, and how many devices contributed. */
public record FleetBucket(String group, Instant bucketStart, double value, long devices) {
}
