package io.flotilla.bus;

import io.flotilla.core.telemetry.TelemetryBatch;
import io.flotilla.core.telemetry.TelemetryBus;
import io.flotilla.core.telemetry.TelemetryBusException;
import io.flotilla.core.telemetry.TelemetryStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;

/**
 * The embedded bus: a few partitions, each a bounded queue and a writer thread that writes group
 * commits to the {@link TelemetryStore}. A device hashes to one partition, so its batches are stored and
 * acknowledged in the order they came.
 */
public final class InProcessTelemetryBus implements TelemetryBus {

  private final Partition[] partitions;
  private final Thread[] writers;
  private final Saturation saturation;
  private final BusMetrics metrics;
  private final long hardLimit;
  private volatile boolean closed;

  public InProcessTelemetryBus(TelemetryStore store, BusSettings settings, MeterRegistry registry) {
    this.saturation = new Saturation(settings.highWatermark());
    this.metrics = new BusMetrics(registry, saturation::queued);
    this.hardLimit = settings.hardLimit();
    this.partitions = new Partition[settings.partitions()];
    this.writers = new Thread[settings.partitions()];
    for (int i = 0; i < partitions.length; i++) {
      partitions[i] = new Partition(i, store, settings, saturation, metrics);
      writers[i] = Thread.ofPlatform().daemon(true).unstarted(partitions[i]);
      writers[i].start();
    }
  }

  @Override
  public CompletableFuture<Void> submit(TelemetryBatch batch) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(closedFailure());
      return done;
    }
    int weight = batch.weight();
    if (saturation.queued() + weight > hardLimit) {
      metrics.overloaded.increment();
      done.completeExceptionally(new TelemetryBusException(TelemetryBusException.Kind.OVERLOADED,
          "The telemetry pipeline is overloaded; send again shortly", null));
      return done;
    }
    saturation.add(weight);
    if (!partitionOf(batch).offer(batch, done)) {
      saturation.remove(weight);
      done.completeExceptionally(closedFailure());
    }
    return done;
  }

  private Partition partitionOf(TelemetryBatch batch) {
    int hash = 31 * batch.tenant().value().hashCode() + batch.deviceId().hashCode();
    return partitions[Math.floorMod(hash ^ (hash >>> 16), partitions.length)];
  }

  @Override
  public boolean saturated() {
    return saturation.saturated();
  }

  @Override
  public void whenUnsaturated(Runnable task) {
    saturation.whenUnsaturated(task);
  }

  @Override
  public long queuedPoints() {
    return saturation.queued();
  }

  @Override
  public void close() {
    closed = true;
    for (Partition p : partitions) {
      p.close();
    }
    for (Thread t : writers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    saturation.releaseWaiters();
  }

  private static TelemetryBusException closedFailure() {
    return new TelemetryBusException(TelemetryBusException.Kind.CLOSED, "The telemetry pipeline is shutting down",
        null);
  }
}
