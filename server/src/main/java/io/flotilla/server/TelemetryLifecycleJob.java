package io.flotilla.server;

import io.flotilla.core.service.TelemetryLifecycle;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs the telemetry lifecycle (rollups, retention, compaction) every few seconds on a thread of its own. */
final class TelemetryLifecycleJob implements AutoCloseable {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("telemetry-lifecycle").daemon().factory());

  TelemetryLifecycleJob(TelemetryLifecycle lifecycle, long intervalSeconds) {
    timer.scheduleWithFixedDelay(lifecycle::runOnce, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(30, TimeUnit.SECONDS);
  }
}
