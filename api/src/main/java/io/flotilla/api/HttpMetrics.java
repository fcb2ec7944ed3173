package io.flotilla.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.javalin.http.Context;
import java.util.concurrent.TimeUnit;

/**
 * Counts and times every request by method, route template and status. Route templates, not raw
 * paths, keep the number of series bounded however many devices there are.
 */
final class HttpMetrics {
  private final MeterRegistry registry;

  HttpMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(Context ctx, float millis) {
    String route = ctx.endpointHandlerPath();
    if (route == null || route.isEmpty() || route.equals("*")) {
      route = "unmatched";
    }
    Timer.builder("flotilla.http.server.requests")
        .description("HTTP requests served, by route template and status")
        .tag("method", ctx.method().name())
        .tag("route", route)
        .tag("status", Integer.toString(ctx.statusCode()))
        .publishPercentileHistogram(false)
        .register(registry)
        .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
  }
}
