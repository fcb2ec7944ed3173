package io.flotilla.device;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnection delays: exponential growth from {@code initial} to {@code max} with "equal jitter" (a
 * uniformly random delay between half the current ceiling and the ceiling), so that a fleet cut off at once does
 * not reconnect at once. {@link #reset} after a successful connection.
 */
final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private int attempt;

  Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, was " + initial + " and " + max);
    }
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
  }

  /** The delay before the next attempt; each call doubles the ceiling until {@code max}. */
  synchronized Duration next() {
    long ceiling = ceilingMillis(attempt);
    attempt = Math.min(attempt + 1, 62);
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
  }

  synchronized void reset() {
    attempt = 0;
  }

  long ceilingMillis(int n) {
    if (n >= 62 || initialMillis << n <= 0 || initialMillis << n >= maxMillis) {
      return maxMillis;
    }
    return initialMillis << n;
  }
}
