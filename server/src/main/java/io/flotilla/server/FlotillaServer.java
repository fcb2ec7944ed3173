package io.flotilla.server;

import io.flotilla.bus.BusSettings;
import io.flotilla.ca.BouncyCastleCertificateAuthority;
import io.flotilla.ca.EnvelopeSecretVault;
import io.flotilla.core.ca.CertificateAuthority;
import io.flotilla.core.ca.CertificatePolicy;
import io.flotilla.core.command.CommandSettings;
import io.flotilla.core.ca.SecretVault;
import io.flotilla.core.service.CertificateExpiryService;
import io.flotilla.core.service.CommandDispatcher;
import io.flotilla.core.service.CommandService;
import io.flotilla.gateway.command.CommandAnswerInterceptor;
import io.flotilla.gateway.command.MqttCommandTransport;
import io.flotilla.core.service.DecommissionService;
import io.flotilla.core.service.InitialTwins;
import io.flotilla.core.service.TwinDeltaPush;
import io.flotilla.core.service.CertificateRotation;
import io.flotilla.core.service.DeviceCertificateService;
import io.flotilla.core.service.ProvisioningJobs;
import io.flotilla.core.service.ProvisioningWork;
import io.flotilla.core.service.EnrollmentService;
import io.flotilla.core.service.ProvisioningService;
import io.flotilla.core.service.TenantCaService;
import io.flotilla.bus.InProcessTelemetryBus;
import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.service.ProfileCache;
import io.flotilla.core.service.TelemetryIngest;
import io.flotilla.core.service.TelemetryLifecycle;
import io.flotilla.core.service.TelemetryService;
import io.flotilla.core.telemetry.TelemetryDoor;
import io.flotilla.core.telemetry.TelemetryLimits;
import io.flotilla.core.telemetry.TelemetrySchemas;
import io.flotilla.core.telemetry.TelemetryStore;
import io.flotilla.gateway.provisioning.CertificateRotationInterceptor;
import io.flotilla.gateway.telemetry.TelemetryInterceptor;
import io.flotilla.gateway.twin.TwinInterceptor;
import io.flotilla.store.timeseries.JournaledTelemetryStore;
import io.flotilla.store.timeseries.TelemetryStoreSettings;
import io.micrometer.core.instrument.Gauge;
import io.flotilla.store.timeseries.TelemetryStores;
import io.flotilla.api.ApiLimits;
import io.flotilla.api.ReadinessCheck;
import io.flotilla.api.HttpsListener;
import io.flotilla.api.RestApi;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.event.InProcessDomainEvents;
import io.flotilla.core.service.RegistryServices;
import io.flotilla.core.service.SessionAdminService;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.gateway.DeviceGateway;
import io.flotilla.gateway.GatewaySettings;
import io.flotilla.gateway.ListenerBindException;
import io.flotilla.gateway.tls.ClientAuthMode;
import io.flotilla.gateway.tls.ServerSslContexts;
import io.flotilla.gateway.tls.ServerTls;
import io.flotilla.server.config.ConfigException;
import io.flotilla.server.config.ServerConfig;
import io.flotilla.server.config.Setting;
import io.flotilla.store.sql.RegistryStores;
import io.javalin.util.JavalinBindException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole server in one object: embeddable, with an explicit data folder and ports (0 = any
 * free port), so tests start the real thing in-process. {@link #close()} is idempotent and
 * stops the parts in the reverse order of their start.
 */
public final class FlotillaServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlotillaServer.class);
  static final String VERSION = Optional.ofNullable(FlotillaServer.class.getPackage().getImplementationVersion())
      .orElse("dev");
  /** How long a profile change (schema, retention) may take to reach ingestion and telemetry queries. */
  private static final Duration PROFILE_CACHE_AGE = Duration.ofSeconds(5);
  /** A port in Jetty's "Failed to bind to /127.0.0.1:8443". */
  private static final java.util.regex.Pattern BOUND_PORT = java.util.regex.Pattern.compile(":(\\d+)\\b");

  private final ServerConfig config;
  private final RegistryServices services;
  private final DeviceGateway gateway;
  private final RestApi api;
  private final CertificateExpiryService certificateExpiry;
  private final ProvisioningJobRunner provisioning;
  private final Optional<String> generatedAdminToken;
  private final Deque<AutoCloseable> parts;
  private final CountDownLatch closed = new CountDownLatch(1);
  private boolean closing;

  private FlotillaServer(ServerConfig config, RegistryServices services, DeviceGateway gateway, RestApi api,
      CertificateExpiryService certificateExpiry, ProvisioningJobRunner provisioning,
      Optional<String> generatedAdminToken, Deque<AutoCloseable> parts) {
    this.provisioning = provisioning;
    this.certificateExpiry = certificateExpiry;
    this.config = config;
    this.services = services;
    this.gateway = gateway;
    this.api = api;
    this.generatedAdminToken = generatedAdminToken;
    this.parts = parts;
  }

  /** Opens the stores, initializes an empty registry, and starts the listeners. */
  public static FlotillaServer start(ServerConfig config) {
    return start(config, Clock.tickMillis(ZoneOffset.UTC)); // the stores keep milliseconds; so do responses
  }

  /**
   * {@link #start(ServerConfig)} with the clock every part of the server reads, for tests that move time
   * (token expiry, retention). It must tick in whole milliseconds, as the stores keep them.
   */
  static FlotillaServer start(ServerConfig config, Clock clock) {
    return start(config, clock, CommandSettings.DEFAULTS);
  }

  /** {@link #start(ServerConfig, Clock)} with the command dispatcher's pace, for tests of retries. */
  static FlotillaServer start(ServerConfig config, Clock clock, CommandSettings commandSettings) {
    createDataDir(config.dataDir());
    Deque<AutoCloseable> parts = new ArrayDeque<>();
    try {
      RegistryStore registry = RegistryStores.open(config.dbUrl());
      parts.push(registry);
      RegistryServices services = RegistryServices.over(registry, clock, new InProcessDomainEvents(), config.twin());
      Optional<String> generated = firstStart(config, services);
      MasterKeys.Loaded masterKey = MasterKeys.load(config);
      MasterKeys.requireItOpensTheRegistry(registry, masterKey);
      int wentOffline = services.connectivity().startup();
      if (wentOffline > 0) {
        LOG.info("{} devices that were online when the server stopped are now offline", wentOffline);
      }
      PrometheusMeterRegistry metrics = Metrics.prometheus();
      parts.push(metrics::close);
      ServerConfig.TelemetryLimits sizes = config.telemetry();
      TelemetryStore telemetryStore = TelemetryStores.open(config.tsUrl(), config.dataDir(),
          new TelemetryStoreSettings(sizes.rejectedKept(), TelemetryStoreSettings.DEFAULTS.rollupSlice(),
              sizes.journal()));
      parts.push(telemetryStore);
      if (telemetryStore instanceof JournaledTelemetryStore journaled) {
        Gauge.builder("flotilla.telemetry.journal.backlog.points", journaled, JournaledTelemetryStore::backlogPoints)
            .description("Telemetry points acknowledged from the ingest journal and not yet in DuckDB")
            .register(metrics);
      }
      InProcessTelemetryBus bus = new InProcessTelemetryBus(telemetryStore, BusSettings.defaults()
          .withPartitions(sizes.writers()).withBatching(sizes.batchPoints(), BusSettings.defaults().linger())
          .withLimits(sizes.queuePoints(), 2L * sizes.queuePoints()), metrics);
      parts.push(bus);
      ProfileCache profiles = new ProfileCache(registry, PROFILE_CACHE_AGE);
      TelemetryIngest ingest = new TelemetryIngest(profiles,
          new TelemetryDoor(TelemetryLimits.DEFAULT.withMaxPayloadBytes(sizes.maxPayloadBytes()),
              new TelemetrySchemas(1_000)),
          bus, clock, new RejectionMetrics(metrics));
      TelemetryService telemetryService = new TelemetryService(registry, telemetryStore, clock,
          config.dataDir().resolve("exports"), (tenant, profile) -> profiles.get(tenant, profile).effectiveRetention());
      TelemetryLifecycle lifecycle = new TelemetryLifecycle(registry, telemetryStore, clock,
          DeviceProfile::effectiveRetention);
      parts.push(new TelemetryLifecycleJob(lifecycle, sizes.lifecycleSeconds()));
      DeviceGateway gateway = startGateway(config, services, registry, metrics, clock,
          new TelemetryInterceptor(ingest));
      parts.push(gateway);
      CertificateAuthority authority = new BouncyCastleCertificateAuthority(masterKey.key());
      RestApi.Pki pki = pki(config, registry, clock, services, authority);
      ProvisioningJobRunner provisioningJobs = new ProvisioningJobRunner(new ProvisioningWork(registry, clock,
          pki.provisioning(), pki.certificates()));
      pki.provisioning().onSubmitted(provisioningJobs::wake);
      parts.push(provisioningJobs);
      CertificateRotationInterceptor rotations = new CertificateRotationInterceptor(new CertificateRotation(registry,
          clock, services.events(), authority, pki.certificates()), gateway.publisher(), clock);
      gateway.interceptors().add(rotations);
      parts.push(rotations);
      parts.push(new LastSeenFlusher(services.connectivity(), gateway::touchConnectedDevices));
      java.util.concurrent.ExecutorService twinWork = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
      parts.push(twinWork::close);
      gateway.interceptors().add(new TwinInterceptor(services.twins(), gateway.publisher(), twinWork));
      parts.push(new TwinDeltaPush(services.events(), gateway.publisher()));
      parts.push(new InitialTwins(registry, services.twins(), services.events()));
      RestApi.Commands commands = commands(registry, clock, services, gateway, metrics, commandSettings, parts);
      CertificateExpiryService expiry = new CertificateExpiryService(registry, clock, services.events(),
          Duration.ofDays(config.ca().expiryWarningDays()));
      parts.push(new CertificateExpiryJob(expiry, config.ca().expiryCheckMinutes()));
      RestApi.Lifecycle lifecycleApi = new RestApi.Lifecycle(new DecommissionService(registry, clock, services.events(),
          telemetryStore), expiry);
      RestApi.Provisioning provisioning = provisioning(config, registry, clock, pki.cas(), pki.certificates(), authority, masterKey,
          services.events());
      gateway.enableProvisioning(provisioning.provisioning());
      RestApi api = RestApi.create(new RestApi.Parts(services, new SessionAdminService(gateway.admin()),
          gateway::serverCaPem, List.of(new ReadinessCheck("registry-" + registry.engine(), registry::isReady),
              new ReadinessCheck("telemetry", telemetryStore::isReady)),
          metrics, new ApiLimits(config.maxBodyBytes(), config.maxBulkBodyBytes()), clock, VERSION,
          Optional.of(gateway.mqttOverWebSocket()), new RestApi.Telemetry(telemetryService, lifecycle, ingest),
          Optional.of(httpsListener(config, gateway.tls())), pki,
          lifecycleApi, commands), Optional.of(provisioning));
      try {
        api.start(config.bindAddress(), config.httpPort());
      } catch (JavalinBindException e) {
        api.stop();
        throw httpsPortTaken(config, e)
            ? new PortInUseException("HTTPS", config.bindAddress(), config.httpsPort(), Setting.HTTPS_PORT)
            : new PortInUseException("HTTP", config.bindAddress(), config.httpPort(), Setting.HTTP_PORT);
      }
      parts.push(api::stop);
      LOG.info("Flotilla {} is serving HTTP on {}:{} and HTTPS on {}:{} with the {} registry in {}", VERSION,
          config.bindAddress(), api.port(), config.bindAddress(), api.httpsPort().orElseThrow(), registry.engine(),
          config.dataDir());
      return new FlotillaServer(config, services, gateway, api, expiry, provisioningJobs,
          config.adminToken().isEmpty() ? generated : Optional.empty(), parts);
    } catch (RuntimeException e) {
      closeAll(parts);
      throw e;
    }
  }

  private static Optional<String> firstStart(ServerConfig config, RegistryServices services) {
    Optional<String> generated = services.bootstrap().initialize(config.adminToken());
    if (generated.isPresent() && config.adminToken().isEmpty()) {
      Path file = AdminTokenFile.write(config.dataDir(), generated.get());
      LOG.info("First start: created the default tenant and its administrator; the admin token is in {}", file);
    } else if (generated.isPresent()) {
      LOG.info("First start: created the default tenant and its administrator with the configured admin token");
    }
    return generated;
  }

  /** Commands to devices: the dispatcher over the gateway, device answers through its interceptor chain. */
  private static RestApi.Commands commands(RegistryStore registry, Clock clock, RegistryServices services,
      DeviceGateway gateway, PrometheusMeterRegistry metrics, CommandSettings settings, Deque<AutoCloseable> parts) {
    MqttCommandTransport transport = new MqttCommandTransport(gateway.publisher(), clock);
    CommandDispatcher dispatcher = new CommandDispatcher(registry, clock, services.events(), transport,
        new MicrometerCommandMetrics(metrics), settings).start();
    parts.push(dispatcher);
    gateway.interceptors().add(new CommandAnswerInterceptor(dispatcher, gateway.publisher(), clock));
    return new RestApi.Commands(new CommandService(registry, clock, transport, dispatcher), dispatcher);
  }

  /** The tenant CAs, on Bouncy Castle, with their keys sealed by the master key. */
  private static RestApi.Pki pki(ServerConfig config, RegistryStore registry, Clock clock, RegistryServices services,
      CertificateAuthority authority) {
    TenantCaService cas = new TenantCaService(registry, clock, authority);
    DeviceCertificateService certificates = new DeviceCertificateService(registry, clock, services.events(), authority,
        cas, CertificatePolicy.ofDays(config.ca().validityDays(), config.ca().maxValidityDays()));
    return new RestApi.Pki(cas, certificates, new ProvisioningJobs(registry, clock, authority, certificates));
  }

  /** Provisioning by claim: groups' keys sealed by the master key, devices' certificates from the tenant CA. */
  private static RestApi.Provisioning provisioning(ServerConfig config, RegistryStore registry, Clock clock,
      TenantCaService cas, DeviceCertificateService certificates, CertificateAuthority authority,
      MasterKeys.Loaded masterKey, DomainEvents events) {
    SecretVault vault = new EnvelopeSecretVault(masterKey.key());
    CertificatePolicy policy = CertificatePolicy.ofDays(config.ca().validityDays(), config.ca().maxValidityDays());
    return new RestApi.Provisioning(new EnrollmentService(registry, clock, vault, authority, cas, policy),
        new ProvisioningService(registry, clock, vault, authority, certificates, new HttpPreProvisioningHook(),
            events));
  }

  /** The API over TLS with the gateway's server certificate; it asks for client certificates unless they are off. */
  private static HttpsListener httpsListener(ServerConfig config, ServerTls tls) {
    return new HttpsListener(config.bindAddress(), config.httpsPort(), tls::jdkSslContext,
        tls.clientAuth() != ClientAuthMode.NONE, ServerSslContexts.PROTOCOLS, ServerSslContexts.CIPHERS);
  }

  /** Javalin reports any taken port alike; Jetty's message underneath names the address and port. */
  private static boolean httpsPortTaken(ServerConfig config, JavalinBindException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      java.util.regex.Matcher port = BOUND_PORT.matcher(String.valueOf(t.getMessage()));
      while (config.httpsPort() != 0 && port.find()) {
        if (Integer.parseInt(port.group(1)) == config.httpsPort()) {
          return true;
        }
      }
    }
    return false;
  }

  private static DeviceGateway startGateway(ServerConfig config, RegistryServices services, RegistryStore registry,
      PrometheusMeterRegistry metrics, Clock clock, TelemetryInterceptor telemetry) {
    GatewaySettings settings = new GatewaySettings(config.dataDir(), config.bindAddress(), config.mqttPort(),
        config.mqttsPort(), config.mqttAllowAnonymous(),
        ClientAuthMode.valueOf(config.tlsClientAuth().toUpperCase(Locale.ROOT)), config.tlsNames(),
        config.mqttLimits().publishRate(), config.mqttLimits().publishBytesRate(),
        config.mqttLimits().connectionsPerTenant());
    try {
      return DeviceGateway.start(settings, services, registry, metrics, clock, telemetry);
    } catch (ListenerBindException e) {
      boolean tls = e.listener().equals("MQTTS");
      throw new PortInUseException(e.listener(), config.bindAddress(), e.port(),
          tls ? Setting.MQTTS_PORT : Setting.MQTT_PORT);
    }
  }

  /** The HTTP port bound, which differs from the configured one when that was 0. */
  public int httpPort() {
    return api.port();
  }

  /** The plain MQTT port bound. */
  public int mqttPort() {
    return gateway.mqttPort();
  }

  /** The HTTPS port bound. */
  public int httpsPort() {
    return api.httpsPort().orElseThrow();
  }

  /** The MQTT over TLS port bound. */
  public int mqttsPort() {
    return gateway.mqttsPort();
  }

  /** The registry's services, for code that embeds the server (and for its tests). */
  public RegistryServices services() {
    return services;
  }

  /** The device gateway, for code that embeds the server (and for its tests). */
  public DeviceGateway gateway() {
    return gateway;
  }

  /** The worker of provisioning jobs, for tests that pause it to step through a job. */
  ProvisioningJobRunner provisioningJobs() {
    return provisioning;
  }

  /** The check for expiring certificates, for tests that move the clock and run it at once. */
  CertificateExpiryService certificateExpiry() {
    return certificateExpiry;
  }

  public ServerConfig config() {
    return config;
  }

  /** The admin token generated on this first start, to be shown once; empty on later starts. */
  public Optional<String> generatedAdminToken() {
    return generatedAdminToken;
  }

  /** Where a generated admin token is kept, readable by its owner only. */
  public Path adminTokenFile() {
    return config.dataDir().resolve(AdminTokenFile.NAME);
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitShutdown() throws InterruptedException {
    closed.await();
  }

  @Override
  public synchronized void close() {
    if (closing) {
      return;
    }
    closing = true;
    LOG.info("Flotilla is stopping");
    closeAll(parts);
    closed.countDown();
  }

  private static void closeAll(Deque<AutoCloseable> parts) {
    while (!parts.isEmpty()) {
      AutoCloseable part = parts.pop();
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("A part of the server failed to stop cleanly: {}", e.toString());
      }
    }
  }

  private static void createDataDir(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ConfigException("could not create the data folder " + dir + " (" + e.getMessage() + "); set "
          + Setting.DATA_DIR.envVar() + " or " + Setting.DATA_DIR.flag() + " to a writable folder", e);
    }
  }
}
