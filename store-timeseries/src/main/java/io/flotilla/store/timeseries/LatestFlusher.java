package io.flotilla.store.timeseries;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the changed latest values into {@code telemetry_latest} every second, beside the appends, and moves
 * the flush watermark to one minute before the newest receive time offered to the map so far: points received
 * from the watermark on are replayed at open. The minute is the only allowance for a batch received earlier
 * that commits later (bus retries, a queue backlog), the same one the rollups make. One server node per
 * telemetry database: the watermark is the database's, not each node's (cluster mode will key it by node).
 */
final class LatestFlusher implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final long REPLAY_MARGIN_US = Duration.ofMinutes(1).toNanos() / 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(LatestFlusher.class);

  /** Writes entries and the new watermark in one transaction. */
  interface Writer {
    void write(List<LatestValues.Entry> entries, long watermarkUs);
  }

  private final LatestValues latest;
  private final Writer writer;
  private final Object lock = new Object();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "flotilla-telemetry-latest");
    thread.setDaemon(true);
    return thread;
  });

  LatestFlusher(LatestValues latest, Writer writer) {
    this.latest = latest;
    this.writer = writer;
    timer.scheduleWithFixedDelay(this::flushQuietly, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Writes what changed; the caller learns of a failure. */
  void flush() {
    synchronized (lock) {
      long newest = latest.newestReceivedUs();
      List<LatestValues.Entry> entries = latest.dirtyEntries();
      if (entries.isEmpty()) {
        return;
      }
      writer.write(entries, Math.max(0, newest - REPLAY_MARGIN_US));
      latest.written(entries);
    }
  }

  /** Runs {@code work} while no flush runs, e.g. deleting a device's values from the table and the map. */
  <T> T excluding(java.util.function.Supplier<T> work) {
    synchronized (lock) {
      return work.get();
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("Cannot write the latest telemetry values yet; they stay in memory and are tried again: {}",
          e.getMessage());
    }
  }

  /** Stops the timer and writes what is left. */
  @Override
  public void close() {
    // Not shutdownNow: interrupting a running flush would fail it on PostgreSQL's pool.
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flushQuietly();
  }
}
