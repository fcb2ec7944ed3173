package io.flotilla.tools.bench;

/**
 * When one device of a paced load publishes: evenly spaced at its share of the total rate, starting
 * at its own offset within the first interval, so that the devices together publish at an even
 * rate instead of in bursts. A device that falls behind catches up: {@link #dueBy} counts every
 * message whose time has come, sent or not.
 *
 * @param startNanos the {@link System#nanoTime()} of the device's first message
 * @param intervalNanos the time between two of its messages
 */
record PacedSchedule(long startNanos, long intervalNanos) {
  /** The shortest period between two checks of the schedule, bounding the generator's work when rates are high. */
  static final long MIN_TICK_NANOS = 1_000_000;
  /** The longest period between two checks of the schedule, so that a slow device is not checked too late. */
  static final long MAX_TICK_NANOS = 100_000_000;

  PacedSchedule {
    if (intervalNanos < 1) {
      throw new IllegalArgumentException("the interval must be at least 1 ns, was " + intervalNanos);
    }
  }

  /**
   * The schedule of device {@code device} of {@code devices} when they publish {@code totalPerSecond}
   * messages per second together, from {@code phaseStartNanos} on.
   */
  static PacedSchedule of(int device, int devices, double totalPerSecond, long phaseStartNanos) {
    if (devices < 1 || device < 0 || device >= devices) {
      throw new IllegalArgumentException("device must be in 0.." + (devices - 1) + ", was " + device);
    }
    if (!(totalPerSecond > 0)) {
      throw new IllegalArgumentException("the rate must be positive, was " + totalPerSecond);
    }
    long interval = Math.max(1, Math.round(1e9 * devices / totalPerSecond));
    return new PacedSchedule(phaseStartNanos + interval * device / devices, interval);
  }

  /** How many messages are due by {@code nanoTime}: none before the start, then one more each interval. */
  long dueBy(long nanoTime) {
    long elapsed = nanoTime - startNanos;
    return elapsed < 0 ? 0 : elapsed / intervalNanos + 1;
  }

  /** How often to check the schedule: every interval, within {@link #MIN_TICK_NANOS} and {@link #MAX_TICK_NANOS}. */
  long tickNanos() {
    return Math.clamp(intervalNanos, MIN_TICK_NANOS, MAX_TICK_NANOS);
  }

  /** Messages per second of this device. */
  double perSecond() {
    return 1e9 / intervalNanos;
  }
}
