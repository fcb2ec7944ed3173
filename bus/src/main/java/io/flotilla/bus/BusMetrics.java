package io.flotilla.bus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.LongSupplier;

/** The bus's meters: queue depth, batch sizes, commit latency, ingest lag, failures. */
final class BusMetrics {

  final DistributionSummary batchPoints;
  final Timer commitLatency;
  final Timer ingestLag;
  final Counter pointsStored;
  final Counter messagesStored;
  final Counter rejectionsStored;
  final Counter storeFailures;
  final Counter overloaded;

  BusMetrics(MeterRegistry registry, LongSupplier queuedPoints) {
    Gauge.builder("flotilla.telemetry.queue.points", queuedPoints::getAsLong)
        .description("Telemetry points waiting to be stored").register(registry);
    batchPoints = DistributionSummary.builder("flotilla.telemetry.batch.points")
        .description("Points per store commit (group commit)").publishPercentiles(0.5, 0.99).register(registry);
    commitLatency = Timer.builder("flotilla.telemetry.commit")
        .description("Time to write and commit one batch").publishPercentiles(0.5, 0.99).register(registry);
    ingestLag = Timer.builder("flotilla.telemetry.ingest.lag")
        .description("From a message's receipt to its being durable").publishPercentiles(0.5, 0.99)
        .register(registry);
    pointsStored = Counter.builder("flotilla.telemetry.points.stored").register(registry);
    messagesStored = Counter.builder("flotilla.telemetry.messages.stored").register(registry);
    rejectionsStored = Counter.builder("flotilla.telemetry.rejections.stored").register(registry);
    storeFailures = Counter.builder("flotilla.telemetry.store.failures")
        .description("Store writes that failed (each retry counts)").register(registry);
    overloaded = Counter.builder("flotilla.telemetry.overloaded")
        .description("Batches refused because the bus was over its hard limit").register(registry);
  }
}
