package io.flotilla.store.timeseries;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers every stored point, so that points equal in device, key, device time and receive time (a device
 * sending the same key twice within the server clock's millisecond) still have a total order a page cursor
 * can continue from. The numbers start at the store's opening time in microseconds and rise by one per point:
 * a store reopened later starts above every number it gave out before, as long as it stored fewer than a
 * million points per second on average. Nodes sharing one PostgreSQL database may hand out equal numbers, but
 * only points of the same device, key and microsecond-equal times would have to collide for it to matter.
 */
final class PointSequence {
  private final AtomicLong next;

  PointSequence(Clock clock) {
    this.next = new AtomicLong(EpochMicros.of(clock.instant()));
  }

  /** The first of {@code count} consecutive numbers reserved for the caller. */
  long reserve(int count) {
    return next.getAndAdd(count);
  }
}
