package io.flotilla.core.telemetry;

import java.util.concurrent.CompletableFuture;

/**
 * Carries checked telemetry to durable storage, partitioned by device so one device's messages stay in
 * order. Embedded it is in-process and writes to the {@link TelemetryStore} in batches; in a cluster it
 * is Kafka with acks=all. Either way a batch's future completes only once it is durable, and only then is
 * the device acknowledged.
 *
 * <p>{@link #submit} never blocks: callers on network threads check {@link #saturated()} and stop reading
 * from their clients until {@link #whenUnsaturated} calls back.
 */
public interface TelemetryBus extends AutoCloseable {

  /**
   * Queues a batch. The future completes when the batch is durable, or exceptionally with a
   * {@link TelemetryBusException} saying why it was not taken or not stored.
   */
  CompletableFuture<Void> submit(TelemetryBatch batch);

  /** True while the bus holds more than it wants to: producers should pause. */
  boolean saturated();

  /** Runs {@code task} once, from any thread, when the bus is no longer saturated (at once if it is not). */
  void whenUnsaturated(Runnable task);

  /** Points waiting to be stored, over all partitions. */
  long queuedPoints();

  /** Stores what was queued, then stops; batches submitted afterwards fail as {@code CLOSED}. */
  @Override
  void close();
}
