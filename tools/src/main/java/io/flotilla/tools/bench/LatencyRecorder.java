package io.flotilla.tools.bench;

import java.util.Arrays;

/**
 * The latencies of one thread's operations, every one kept, so that percentiles are exact. A
 * benchmark of a few seconds records at most a few million values: a few megabytes. Not thread
 * safe: give each thread its own and {@link #add} them together afterwards.
 */
final class LatencyRecorder {
  private long[] nanos = new long[1024];
  private int count;
  private boolean sorted = true;

  void record(long latencyNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = latencyNanos;
    sorted = false;
  }

  /** Adds all of {@code other}'s latencies to this one. */
  void add(LatencyRecorder other) {
    if (count + other.count > nanos.length) {
      nanos = Arrays.copyOf(nanos, Math.max(nanos.length * 2, count + other.count));
    }
    System.arraycopy(other.nanos, 0, nanos, count, other.count);
    count += other.count;
    sorted = sorted && other.count == 0;
  }

  int count() {
    return count;
  }

  /**
   * The nearest-rank percentile: the smallest recorded latency that at least {@code percentile}
   * percent of the recorded latencies do not exceed.
   */
  long percentileNanos(double percentile) {
    if (count == 0) {
      throw new IllegalStateException("no latency was recorded");
    }
    if (!(percentile > 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], was " + percentile);
    }
    if (!sorted) {
      Arrays.sort(nanos, 0, count);
      sorted = true;
    }
    int rank = (int) Math.ceil(percentile / 100 * count);
    return nanos[Math.max(rank, 1) - 1];
  }
}
