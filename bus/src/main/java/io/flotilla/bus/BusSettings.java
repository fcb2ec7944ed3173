package io.flotilla.bus;

import java.time.Duration;

/**
 * Sizes of the in-process bus.
 *
 * @param partitions       writer threads; a device always lands in the same one, so its order holds
 * @param maxBatchPoints   group commit by size: a batch is written once it holds this many points
 * @param linger           group commit by time: how long a writer waits for more before writing a small batch
 * @param highWatermark    queued points above which producers are told to pause
 * @param hardLimit        queued points above which new batches are refused outright
 * @param retryFor         how long a failing store write is retried before its batch fails
 */
public record BusSettings(int partitions, int maxBatchPoints, Duration linger, long highWatermark, long hardLimit,
    Duration retryFor) {

  public BusSettings {
    if (partitions < 1 || maxBatchPoints < 1 || highWatermark < 1 || hardLimit < highWatermark) {
      throw new IllegalArgumentException("bus sizes must be positive and hardLimit >= highWatermark");
    }
    if (linger.isNegative() || retryFor.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }

  /** Two writers (this is a 2-core default), 5,000-point batches, 2 ms linger, 200k points queued at most. */
  public static BusSettings defaults() {
    return new BusSettings(2, 5_000, Duration.ofMillis(2), 100_000, 200_000, Duration.ofSeconds(5));
  }

  public BusSettings withPartitions(int value) {
    return new BusSettings(value, maxBatchPoints, linger, highWatermark, hardLimit, retryFor);
  }

  public BusSettings withLimits(long high, long hard) {
    return new BusSettings(partitions, maxBatchPoints, linger, high, hard, retryFor);
  }

  public BusSettings withRetryFor(Duration value) {
    return new BusSettings(partitions, maxBatchPoints, linger, highWatermark, hardLimit, value);
  }

  public BusSettings withBatching(int points, Duration lingerFor) {
    return new BusSettings(partitions, points, lingerFor, highWatermark, hardLimit, retryFor);
  }
}
