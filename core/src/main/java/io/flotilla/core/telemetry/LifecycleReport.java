package io.flotilla.core.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What one run of the telemetry lifecycle job did, for operators watching it.
 *
 * @param rolledUp     raw points rolled into the 1-minute and 1-hour tiers by this run
 * @param rolledUpTo   how far rollups reach after this run
 * @param expired      rows deleted per tier
 * @param compacted    whether the store was compacted in this run
 */
public record LifecycleReport(Instant startedAt, Duration took, long rolledUp, Instant rolledUpTo,
    Map<Tier, Long> expired, boolean compacted, String error) {
  public LifecycleReport {
    expired = Map.copyOf(expired);
  }
}
