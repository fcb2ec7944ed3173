package io.flotilla.bus;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bus's fill level and the producers waiting for it to fall. Saturated above the high watermark;
 * waiters are released once it falls to half of it, so producers do not flap on and off at one line.
 */
final class Saturation {

  private final long high;
  private final long low;
  private final AtomicLong queued = new AtomicLong();
  private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

  Saturation(long high) {
    this.high = high;
    this.low = high / 2;
  }

  void add(long points) {
    queued.addAndGet(points);
  }

  void remove(long points) {
    if (queued.addAndGet(-points) <= low) {
      releaseWaiters();
    }
  }

  long queued() {
    return queued.get();
  }

  boolean saturated() {
    return queued.get() > high;
  }

  void whenUnsaturated(Runnable task) {
    if (queued.get() <= low) {
      task.run();
      return;
    }
    waiters.add(task);
    // The queue may have drained between the check and the add; nobody else would release us then.
    if (queued.get() <= low) {
      releaseWaiters();
    }
  }

  void releaseWaiters() {
    Runnable task;
    while ((task = waiters.poll()) != null) {
      task.run();
    }
  }
}
