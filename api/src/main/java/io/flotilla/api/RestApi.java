package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.broker.MqttOverWebSocket;
import io.flotilla.core.service.CertificateExpiryService;
import io.flotilla.core.service.CommandDispatcher;
import io.flotilla.core.service.CommandService;
import io.flotilla.core.service.DecommissionService;
import io.flotilla.core.service.DeviceCertificateService;
import io.flotilla.core.service.ProvisioningJobs;
import io.flotilla.core.service.EnrollmentService;
import io.flotilla.core.service.ProvisioningService;
import io.flotilla.core.service.RegistryServices;
import io.flotilla.core.service.SessionAdminService;
import io.flotilla.core.service.TelemetryIngest;
import io.flotilla.core.service.TelemetryLifecycle;
import io.flotilla.core.service.TelemetryService;
import io.flotilla.core.service.TenantCaService;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The HTTP face of Flotilla: every route registered from one table, which also yields the OpenAPI
 * document. Built here, started by the server on the address and port it chooses.
 */
public final class RestApi {
  private final Javalin app;
  private final List<Route> routes;
  private final HttpConnector http;
  private final Optional<HttpsConnector> https;

  private RestApi(Javalin app, List<Route> routes, HttpConnector http, Optional<HttpsConnector> https) {
    this.app = app;
    this.routes = routes;
    this.http = http;
    this.https = https;
  }

  /**
   * What the API serves: the registry's services, the broker's session controls, the server CA
   * for devices, what readiness waits for, where metrics go, the request limits, MQTT over WebSocket
   * (served on {@code /mqtt} when present), the HTTPS listener serving the same routes, if any, the tenant CAs, and
   * commands to devices.
   */
  public record Parts(RegistryServices services, SessionAdminService sessions,
      Supplier<Optional<String>> serverCaPem, List<ReadinessCheck> readiness, PrometheusMeterRegistry metrics,
      ApiLimits limits, Clock clock, String version, Optional<MqttOverWebSocket> mqttOverWebSocket,
      Telemetry telemetry, Optional<HttpsListener> https, Pki pki, Lifecycle lifecycle, Commands commands) {}

  /** Commands to devices: what callers send, and the dispatcher devices answer through. */
  public record Commands(CommandService service, CommandDispatcher dispatcher) {}

  /** The end of devices' and certificates' lives: decommissioning, expiry warnings. */
  public record Lifecycle(DecommissionService decommissions, CertificateExpiryService expiry) {}

  /** The tenant CAs, the device certificates they issue, and bulk provisioning jobs. */
  public record Pki(TenantCaService cas, DeviceCertificateService certificates, ProvisioningJobs provisioning) {}

  /** Provisioning by claim: enrollment groups, and the device door that provisions. */
  public record Provisioning(EnrollmentService enrollments, ProvisioningService provisioning) {}

  /** The telemetry services the API serves: queries and management, the lifecycle job, device ingestion. */
  public record Telemetry(TelemetryService service, TelemetryLifecycle lifecycle, TelemetryIngest ingest) {}

  public static RestApi create(Parts parts) {
    return create(parts, Optional.empty());
  }

  /** The API with provisioning by claim, when given. */
  public static RestApi create(Parts parts, Optional<Provisioning> provisioning) {
    RegistryServices services = parts.services();
    ApiLimits limits = parts.limits();
    HttpMetrics httpMetrics = new HttpMetrics(parts.metrics());
    HttpConnector http = new HttpConnector();
    Optional<HttpsConnector> https = parts.https().map(HttpsConnector::new);
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.useVirtualThreads = true;
      config.http.maxRequestSize = limits.maxBulkBodyBytes();
      config.router.ignoreTrailingSlashes = true;
      config.requestLogger.http(httpMetrics::record);
      config.jetty.addConnector(http::create);
      https.ifPresent(connector -> config.jetty.addConnector(connector::create));
    });
    List<Route> routes = new ArrayList<>();
    routes.addAll(new AccessRoutes(services.tenants(), services.users(), services.tokens(), limits, parts.clock())
        .routes());
    routes.addAll(new ProfileRoutes(services.profiles(), limits).routes());
    routes.addAll(new DeviceRoutes(services.devices(), services.imports(), limits).routes());
    routes.addAll(new CredentialRoutes(services.credentials(), limits).routes());
    routes.addAll(new DeviceCertificateRoutes(parts.pki().certificates(), limits).routes());
    routes.addAll(new CaRoutes(parts.pki().cas()).routes());
    routes.addAll(new ProvisioningRoutes(parts.pki().provisioning(), limits).routes());
    routes.addAll(new DeviceLifecycleRoutes(parts.lifecycle().decommissions(), parts.lifecycle().expiry(), limits,
        parts.clock()).routes());
    routes.addAll(new CaRegistrationRoutes(services.registeredCas(), limits).routes());
    provisioning.ifPresent(p -> routes.addAll(new EnrollmentRoutes(p.enrollments(), p.provisioning(), limits)
        .routes()));
    routes.addAll(new TelemetryRoutes(parts.telemetry().service(), parts.telemetry().lifecycle()).routes());
    routes.addAll(new DeviceTelemetryRoutes(services.deviceAuthentication(), parts.telemetry().ingest(), limits)
        .routes());
    routes.addAll(new ConnectivityRoutes(services.connectivity()).routes());
    routes.addAll(new TwinRoutes(services.twins(), services.deviceAuthentication(), limits).routes());
    routes.addAll(new GroupRoutes(services.groups(), services.devices(), limits).routes());
    routes.addAll(new TopicRuleRoutes(services.topicRules(), limits).routes());
    routes.addAll(new AuditRoutes(services.audit()).routes());
    routes.addAll(new CommandRoutes(parts.commands().service(), limits).routes());
    routes.addAll(new DeviceCommandRoutes(services.deviceAuthentication(), parts.commands().dispatcher(), limits)
        .routes());
    routes.addAll(new SessionRoutes(parts.sessions()).routes());
    routes.addAll(new ServerRoutes(parts.serverCaPem()).routes());
    ObjectNode[] openApi = new ObjectNode[1];
    routes.addAll(new OperationsRoutes(parts.readiness(), parts.metrics(), () -> openApi[0]).routes());
    openApi[0] = OpenApiDocument.build(routes, parts.version());
    Authentication authentication = new Authentication(services.tokens());
    for (Route route : routes) {
      app.addHttpHandler(route.method(), route.path(),
          route.secured() ? authentication.secure(route.handler()) : route.handler());
    }
    parts.mqttOverWebSocket().ifPresent(mqtt -> MqttWebSocketEndpoint.mount(app, mqtt));
    Problems.install(app);
    return new RestApi(app, List.copyOf(routes), http, https);
  }

  /** Starts serving (HTTPS too, when configured); throws Javalin's bind exception when a port is taken. */
  public void start(String host, int port) {
    http.bindTo(host, port);
    app.start();
  }

  /** The HTTP port actually bound (useful when 0 was asked for). */
  public int port() {
    return http.port();
  }

  /** The HTTPS port bound, when there is an HTTPS listener. */
  public Optional<Integer> httpsPort() {
    return https.map(HttpsConnector::port);
  }

  public void stop() {
    https.ifPresent(HttpsConnector::close);
    app.stop();
  }

  List<Route> routes() {
    return routes;
  }
}
