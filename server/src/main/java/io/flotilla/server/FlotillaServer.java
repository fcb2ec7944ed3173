package io.flotilla.server;

import io.flotilla.api.ApiLimits;
import io.flotilla.api.ReadinessCheck;
import io.flotilla.api.RestApi;
import io.flotilla.core.event.InProcessDomainEvents;
import io.flotilla.core.service.RegistryServices;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.server.config.ConfigException;
import io.flotilla.server.config.ServerConfig;
import io.flotilla.server.config.Setting;
import io.flotilla.store.sql.RegistryStores;
import io.javalin.util.JavalinBindException;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole server in one object: embeddable, with an explicit data folder and ports (0 = any
 * free port), so tests start the real thing in-process. {@link #close()} is idempotent.
 */
public final class FlotillaServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlotillaServer.class);
  static final String VERSION = Optional.ofNullable(FlotillaServer.class.getPackage().getImplementationVersion())
      .orElse("dev");

  private final ServerConfig config;
  private final RegistryStore registry;
  private final RegistryServices services;
  private final RestApi api;
  private final PrometheusMeterRegistry metrics;
  private final Optional<String> generatedAdminToken;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean closing;

  private FlotillaServer(ServerConfig config, RegistryStore registry, RegistryServices services, RestApi api,
      PrometheusMeterRegistry metrics, Optional<String> generatedAdminToken) {
    this.config = config;
    this.registry = registry;
    this.services = services;
    this.api = api;
    this.metrics = metrics;
    this.generatedAdminToken = generatedAdminToken;
  }

  /** Opens the stores, initializes an empty registry, and starts the listeners. */
  public static FlotillaServer start(ServerConfig config) {
    createDataDir(config.dataDir());
    RegistryStore registry = RegistryStores.open(config.dbUrl());
    try {
      Clock clock = Clock.tickMillis(ZoneOffset.UTC); // the stores keep milliseconds; so do responses
      RegistryServices services = RegistryServices.over(registry, clock, new InProcessDomainEvents());
      Optional<String> generated = services.bootstrap().initialize(config.adminToken());
      if (generated.isPresent() && config.adminToken().isEmpty()) {
        Path file = AdminTokenFile.write(config.dataDir(), generated.get());
        LOG.info("First start: created the default tenant and its administrator; the admin token is in {}", file);
      } else if (generated.isPresent()) {
        LOG.info("First start: created the default tenant and its administrator with the configured admin token");
      }
      PrometheusMeterRegistry metrics = metrics();
      RestApi api = RestApi.create(services,
          List.of(new ReadinessCheck("registry-" + registry.engine(), registry::isReady)), metrics,
          new ApiLimits(config.maxBodyBytes(), config.maxBulkBodyBytes()), clock, VERSION);
      try {
        api.start(config.bindAddress(), config.httpPort());
      } catch (JavalinBindException e) {
        throw new PortInUseException("HTTP", config.bindAddress(), config.httpPort(), Setting.HTTP_PORT);
      }
      LOG.info("Flotilla {} is serving HTTP on {}:{} with the {} registry in {}", VERSION, config.bindAddress(),
          api.port(), registry.engine(), config.dataDir());
      return new FlotillaServer(config, registry, services, api, metrics,
          config.adminToken().isEmpty() ? generated : Optional.empty());
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  /** The HTTP port bound, which differs from the configured one when that was 0. */
  public int httpPort() {
    return api.port();
  }

  /** The registry's services, for code that embeds the server (and for its tests). */
  public RegistryServices services() {
    return services;
  }

  public ServerConfig config() {
    return config;
  }

  /** The admin token generated on this first start, to be shown once; empty on later starts. */
  public Optional<String> generatedAdminToken() {
    return generatedAdminToken;
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
    try {
      api.stop();
    } finally {
      registry.close();
      metrics.close();
      closed.countDown();
    }
  }

  private static PrometheusMeterRegistry metrics() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    return registry;
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
