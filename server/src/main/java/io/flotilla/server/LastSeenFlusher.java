package io.flotilla.server;

import io.flotilla.core.service.ConnectivityService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes devices' last-seen times every few seconds, and once more on close, so that traffic
 * never costs a database write per message. Before each write it asks {@code touch} to mark
 * what was seen since the last one (the gateway marks its connected devices).
 */
final class LastSeenFlusher implements AutoCloseable {
  static final long INTERVAL_SECONDS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(LastSeenFlusher.class);

  private final ConnectivityService connectivity;
  private final Runnable touch;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("last-seen-flusher").daemon().factory());

  LastSeenFlusher(ConnectivityService connectivity, Runnable touch) {
    this.connectivity = connectivity;
    this.touch = touch;
    timer.scheduleWithFixedDelay(this::flush, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
  }

  private void flush() {
    try {
      touch.run();
      connectivity.flushSeen();
    } catch (RuntimeException e) {
      LOG.warn("Could not write last-seen times; they are kept for the next try: {}", e.getMessage());
    }
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdown();
    timer.awaitTermination(5, TimeUnit.SECONDS);
    flush();
  }
}
