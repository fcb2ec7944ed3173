package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.Supplier;

/** Health, metrics and the API description: open to anyone who can reach the port. */
final class OperationsRoutes {
  private final List<ReadinessCheck> checks;
  private final PrometheusMeterRegistry metrics;
  private final Supplier<ObjectNode> openApi;

  OperationsRoutes(List<ReadinessCheck> checks, PrometheusMeterRegistry metrics, Supplier<ObjectNode> openApi) {
    this.checks = List.copyOf(checks);
    this.metrics = metrics;
    this.openApi = openApi;
  }

  List<Route> routes() {
    Routes r = new Routes("operations");
    r.get("/health/live", "live", "Whether the process is up", this::live).response("Health").open().add();
    r.get("/health/ready", "ready", "Whether every store answers; 503 until they do", this::ready)
        .response("Health").open().add();
    r.get("/metrics", "metrics", "Prometheus metrics in text format", this::metrics).open().add();
    r.get("/api/openapi.json", "openapi", "This API's OpenAPI 3.1 document", this::openapi).open().add();
    return r.all();
  }

  private void live(Context ctx) {
    Bodies.send(ctx, 200, Json.object().put("status", "up"));
  }

  private void ready(Context ctx) {
    ObjectNode body = Json.object();
    ObjectNode details = body.putObject("checks");
    boolean ready = true;
    for (ReadinessCheck check : checks) {
      boolean ok = check.ready().getAsBoolean();
      details.put(check.name(), ok ? "up" : "down");
      ready &= ok;
    }
    body.put("status", ready ? "up" : "down");
    Bodies.send(ctx, ready ? 200 : 503, body);
  }

  private void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  private void openapi(Context ctx) {
    Bodies.send(ctx, 200, openApi.get());
  }
}
