package io.flotilla.tools.bench;

/**
 * The clock of a throughput run, shared by its connections: the origin of the timestamps in the
 * payloads (nanoseconds since it, never negative), the measured window, and whether publishers
 * should still publish.
 */
final class ThroughputTiming {
  private final long origin = System.nanoTime();
  private volatile boolean scheduled;
  private volatile long measureFrom;
  private volatile long measureUntil;
  private volatile boolean running = true;

  /** Starts the warm-up now; the measured window follows it. */
  void schedule(long warmUpNanos, long windowNanos) {
    long from = System.nanoTime() + warmUpNanos;
    measureFrom = from;
    measureUntil = from + windowNanos;
    scheduled = true;
  }

  long sinceOrigin(long nanoTime) {
    return nanoTime - origin;
  }

  boolean inWindow(long nanoTime) {
    return scheduled && nanoTime - measureFrom >= 0 && nanoTime - measureUntil < 0;
  }

  long measureFrom() {
    return measureFrom;
  }

  long measureUntil() {
    return measureUntil;
  }

  boolean isRunning() {
    return running;
  }

  void stop() {
    running = false;
  }
}
