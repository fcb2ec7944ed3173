package io.flotilla.server;

import io.flotilla.core.service.TelemetryIngest;
import io.flotilla.core.tenant.TenantId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts refused telemetry per tenant, profile and transport ({@code flotilla_telemetry_rejected_total}). */
final class RejectionMetrics implements TelemetryIngest.RejectionCounter {

  private final MeterRegistry registry;

  RejectionMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void rejected(TenantId tenant, String profileId, String transport) {
    Counter.builder("flotilla.telemetry.rejected").description("Telemetry payloads refused at the door")
        .tag("tenant", tenant.value()).tag("profile", profileId).tag("transport", transport).register(registry)
        .increment();
  }
}
