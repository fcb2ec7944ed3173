package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.service.RegistryServices;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP face of Flotilla: every route registered from one table, which also yields the OpenAPI
 * document. Built here, started by the server on the address and port it chooses.
 */
public final class RestApi {
  private final Javalin app;
  private final List<Route> routes;

  private RestApi(Javalin app, List<Route> routes) {
    this.app = app;
    this.routes = routes;
  }

  public static RestApi create(RegistryServices services, List<ReadinessCheck> readiness,
      PrometheusMeterRegistry metrics, ApiLimits limits, Clock clock, String version) {
    HttpMetrics httpMetrics = new HttpMetrics(metrics);
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.useVirtualThreads = true;
      config.http.maxRequestSize = limits.maxBulkBodyBytes();
      config.router.ignoreTrailingSlashes = true;
      config.requestLogger.http(httpMetrics::record);
    });
    List<Route> routes = new ArrayList<>();
    routes.addAll(new AccessRoutes(services.tenants(), services.users(), services.tokens(), limits, clock).routes());
    routes.addAll(new ProfileRoutes(services.profiles(), limits).routes());
    routes.addAll(new DeviceRoutes(services.devices(), services.imports(), limits).routes());
    routes.addAll(new CredentialRoutes(services.credentials(), limits).routes());
    routes.addAll(new ConnectivityRoutes(services.connectivity()).routes());
    routes.addAll(new GroupRoutes(services.groups(), services.devices(), limits).routes());
    routes.addAll(new AuditRoutes(services.audit()).routes());
    ObjectNode[] openApi = new ObjectNode[1];
    routes.addAll(new OperationsRoutes(readiness, metrics, () -> openApi[0]).routes());
    openApi[0] = OpenApiDocument.build(routes, version);
    Authentication authentication = new Authentication(services.tokens());
    for (Route route : routes) {
      app.addHttpHandler(route.method(), route.path(),
          route.secured() ? authentication.secure(route.handler()) : route.handler());
    }
    Problems.install(app);
    return new RestApi(app, List.copyOf(routes));
  }

  /** Starts serving; throws Javalin's bind exception when the port is taken. */
  public void start(String host, int port) {
    app.start(host, port);
  }

  /** The port actually bound (useful when 0 was asked for). */
  public int port() {
    return app.port();
  }

  public void stop() {
    app.stop();
  }

  List<Route> routes() {
    return routes;
  }
}
