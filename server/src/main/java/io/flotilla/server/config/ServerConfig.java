package io.flotilla.server.config;

import io.flotilla.core.twin.TwinLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's settings, loaded once by {@link ConfigLoader}; see {@link Setting} for what each
 * field means. {@link #toString()} never shows the admin token or a password in a JDBC URL.
 *
 * @param dataDir folder for embedded databases, absolute
 * @param bindAddress address the listeners bind to
 * @param httpPort REST API port; 0 = any free port
 * @param mqttPort plain MQTT port; 0 = any free port
 * @param mqttsPort MQTT over TLS port; 0 = any free port
 * @param httpsPort REST API over TLS port; 0 = any free port
 * @param dbUrl registry JDBC URL (SQLite or PostgreSQL)
 * @param tsUrl telemetry JDBC URL (DuckDB or PostgreSQL)
 * @param logLevel trace, debug, info, warn or error
 * @param adminToken administrator bearer token, if any (a secret)
 * @param maxBodyBytes largest HTTP request body
 * @param maxBulkBodyBytes largest request body of bulk endpoints
 * @param mqttAllowAnonymous whether MQTT clients may connect without credentials
 * @param mqttLimits per-connection publish rates and per-tenant connections (0 = no limit)
 * @param telemetry sizes of the telemetry pipeline and its stores
 * @param tlsClientAuth none, optional or require: client certificates on the MQTT TLS listener
 * @param tlsNames extra names for the server certificate Flotilla issues itself
 * @param ca the tenant CAs: master key (a secret) and certificate validity
 * @param twin how large and deep a twin section may be (and how much history is kept)
 */
public record ServerConfig(
    Path dataDir,
    String bindAddress,
    int httpPort,
    int mqttPort,
    int mqttsPort,
    int httpsPort,
    String dbUrl,
    String tsUrl,
    String logLevel,
    Optional<String> adminToken,
    long maxBodyBytes,
    long maxBulkBodyBytes,
    boolean mqttAllowAnonymous,
    MqttLimits mqttLimits,
    TelemetryLimits telemetry,
    String tlsClientAuth,
    List<String> tlsNames,
    CaSettings ca,
    TwinLimits twin) {

  public ServerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(dbUrl, "dbUrl");
    Objects.requireNonNull(tsUrl, "tsUrl");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(adminToken, "adminToken");
    Objects.requireNonNull(mqttLimits, "mqttLimits");
    Objects.requireNonNull(telemetry, "telemetry");
    Objects.requireNonNull(tlsClientAuth, "tlsClientAuth");
    Objects.requireNonNull(ca, "ca");
    Objects.requireNonNull(twin, "twin");
    tlsNames = List.copyOf(tlsNames);
    checkPort("httpPort", httpPort);
    checkPort("mqttPort", mqttPort);
    checkPort("mqttsPort", mqttsPort);
    checkPort("httpsPort", httpsPort);
    if (maxBodyBytes < 1 || maxBulkBodyBytes < 1) {
      throw new IllegalArgumentException("body limits must be at least 1 byte");
    }
  }

  /**
   * A configuration for tests: the given data folder, every port 0 (any free port), SQLite and
   * DuckDB files in the data folder, listeners on 127.0.0.1 only, everything else default.
   */
  public static ServerConfig forTests(Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize();
    return new ServerConfig(
        dir,
        "127.0.0.1",
        0,
        0,
        0,
        0,
        Setting.DB_URL.defaultValue(dir).orElseThrow(),
        Setting.TS_URL.defaultValue(dir).orElseThrow(),
        Setting.LOG_LEVEL.defaultText().orElseThrow(),
        Optional.empty(),
        Long.parseLong(Setting.MAX_BODY_BYTES.defaultText().orElseThrow()),
        Long.parseLong(Setting.MAX_BULK_BODY_BYTES.defaultText().orElseThrow()),
        false,
        MqttLimits.DEFAULTS,
        TelemetryLimits.DEFAULTS,
        Setting.TLS_CLIENT_AUTH.defaultText().orElseThrow(),
        List.of(),
        CaSettings.DEFAULTS,
        TWIN_DEFAULTS);
  }

  /** This configuration with the given admin token. */
  public ServerConfig withAdminToken(String token) {
    return new ServerConfig(dataDir, bindAddress, httpPort, mqttPort, mqttsPort, httpsPort, dbUrl, tsUrl,
        logLevel, Optional.of(token), maxBodyBytes, maxBulkBodyBytes, mqttAllowAnonymous, mqttLimits, telemetry, tlsClientAuth,
        tlsNames, ca, twin);
  }

  /** This configuration with another registry database, e.g. PostgreSQL in integration tests. */
  public ServerConfig withDbUrl(String url) {
    return new ServerConfig(dataDir, bindAddress, httpPort, mqttPort, mqttsPort, httpsPort, url, tsUrl,
        logLevel, adminToken, maxBodyBytes, maxBulkBodyBytes, mqttAllowAnonymous, mqttLimits, telemetry, tlsClientAuth,
        tlsNames, ca, twin);
  }

  /** This configuration with another telemetry database, e.g. PostgreSQL in integration tests. */
  public ServerConfig withTsUrl(String url) {
    return new ServerConfig(dataDir, bindAddress, httpPort, mqttPort, mqttsPort, httpsPort, dbUrl, url,
        logLevel, adminToken, maxBodyBytes, maxBulkBodyBytes, mqttAllowAnonymous, mqttLimits, telemetry, tlsClientAuth,
        tlsNames, ca, twin);
  }

  /** This configuration with other telemetry pipeline sizes. */
  public ServerConfig withTelemetry(TelemetryLimits limits) {
    return new ServerConfig(dataDir, bindAddress, httpPort, mqttPort, mqttsPort, httpsPort, dbUrl, tsUrl,
        logLevel, adminToken, maxBodyBytes, maxBulkBodyBytes, mqttAllowAnonymous, mqttLimits, limits, tlsClientAuth,
        tlsNames, ca, twin);
  }

  /** This configuration with other listener ports (HTTPS keeps its own). */
  public ServerConfig withPorts(int http, int mqtt, int mqtts) {
    return new ServerConfig(dataDir, bindAddress, http, mqtt, mqtts, httpsPort, dbUrl, tsUrl, logLevel, adminToken, maxBodyBytes,
        maxBulkBodyBytes, mqttAllowAnonymous, mqttLimits, telemetry, tlsClientAuth,
        tlsNames, ca, twin);
  }

  /** This configuration with another HTTPS port. */
  public ServerConfig withHttpsPort(int https) {
    return new ServerConfig(dataDir, bindAddress, httpPort, mqttPort, mqttsPort, https, dbUrl, tsUrl, logLevel,
        adminToken, maxBodyBytes, maxBulkBodyBytes, mqttAllowAnonymous, mqttLimits, telemetry, tlsClientAuth, tlsNames, ca,
        twin);
  }

  /** This configuration with other twin limits. */
  public ServerConfig withTwin(TwinLimits limits) {
    return new ServerConfig(dataDir, bindAddress, httpPort, mqttPort, mqttsPort, httpsPort, dbUrl, tsUrl, logLevel,
        adminToken, maxBodyBytes, maxBulkBodyBytes, mqttAllowAnonymous, mqttLimits, telemetry, tlsClientAuth, tlsNames,
        ca, limits);
  }

  /** This configuration with anonymous MQTT clients allowed or not. */
  public ServerConfig withMqttAllowAnonymous(boolean allow) {
    return new ServerConfig(dataDir, bindAddress, httpPort, mqttPort, mqttsPort, httpsPort, dbUrl, tsUrl, logLevel, adminToken,
        maxBodyBytes, maxBulkBodyBytes, allow, mqttLimits, telemetry, tlsClientAuth,
        tlsNames, ca, twin);
  }

  /** This configuration with other tenant CA settings. */
  public ServerConfig withCa(CaSettings settings) {
    return new ServerConfig(dataDir, bindAddress, httpPort, mqttPort, mqttsPort, httpsPort, dbUrl, tsUrl, logLevel,
        adminToken, maxBodyBytes, maxBulkBodyBytes, mqttAllowAnonymous, mqttLimits, telemetry, tlsClientAuth, tlsNames,
        settings, twin);
  }

  @Override
  public String toString() {
    return "ServerConfig[dataDir=" + dataDir
        + ", bindAddress=" + bindAddress
        + ", httpPort=" + httpPort
        + ", mqttPort=" + mqttPort
        + ", mqttsPort=" + mqttsPort
        + ", httpsPort=" + httpsPort
        + ", dbUrl=" + Setting.DB_URL.displayValue(dbUrl)
        + ", tsUrl=" + Setting.TS_URL.displayValue(tsUrl)
        + ", logLevel=" + logLevel
        + ", adminToken=" + (adminToken.isPresent() ? "****" : "<none>")
        + ", maxBodyBytes=" + maxBodyBytes
        + ", maxBulkBodyBytes=" + maxBulkBodyBytes
        + ", mqttAllowAnonymous=" + mqttAllowAnonymous
        + ", mqttLimits=" + mqttLimits
        + ", telemetry=" + telemetry
        + ", tlsClientAuth=" + tlsClientAuth
        + ", tlsNames=" + tlsNames
        + ", ca=" + ca
        + ", twin=" + twin
        + "]";
  }

  /**
   * Protection limits of the MQTT listeners; 0 means no limit.
   *
   * @param publishRate PUBLISH messages per second and connection
   * @param publishBytesRate PUBLISH bytes per second and connection
   * @param connectionsPerTenant connected clients per tenant
   */
  public record MqttLimits(int publishRate, int publishBytesRate, int connectionsPerTenant) {
    public static final MqttLimits DEFAULTS = new MqttLimits(
        Integer.parseInt(Setting.MQTT_MAX_PUBLISH_RATE.defaultText().orElseThrow()),
        Integer.parseInt(Setting.MQTT_MAX_PUBLISH_BYTES_RATE.defaultText().orElseThrow()),
        Integer.parseInt(Setting.MQTT_MAX_CONNECTIONS_PER_TENANT.defaultText().orElseThrow()));
  }

  /**
   * Sizes of the telemetry pipeline.
   *
   * @param maxPayloadBytes largest telemetry payload
   * @param writers         writer threads (partitions) of the pipeline
   * @param batchPoints     most points per commit
   * @param queuePoints     queued points above which devices are slowed down
   * @param rejectedKept    dead-letter entries kept per tenant
   * @param lifecycleSeconds seconds between lifecycle runs (rollups, retention)
   * @param journal         DuckDB: acknowledge from the ingest journal rather than at DuckDB's commit
   */
  public record TelemetryLimits(int maxPayloadBytes, int writers, int batchPoints, int queuePoints, int rejectedKept,
      int lifecycleSeconds, boolean journal) {
    public static final TelemetryLimits DEFAULTS = new TelemetryLimits(
        Integer.parseInt(Setting.TELEMETRY_MAX_PAYLOAD_BYTES.defaultText().orElseThrow()),
        Integer.parseInt(Setting.TELEMETRY_WRITERS.defaultText().orElseThrow()),
        Integer.parseInt(Setting.TELEMETRY_BATCH_POINTS.defaultText().orElseThrow()),
        Integer.parseInt(Setting.TELEMETRY_QUEUE_POINTS.defaultText().orElseThrow()),
        Integer.parseInt(Setting.TELEMETRY_REJECTED_KEPT.defaultText().orElseThrow()),
        Integer.parseInt(Setting.TELEMETRY_LIFECYCLE_SECONDS.defaultText().orElseThrow()),
        Boolean.parseBoolean(Setting.TELEMETRY_JOURNAL.defaultText().orElseThrow()));

    /** The sizes with the default journal setting. */
    public TelemetryLimits(int maxPayloadBytes, int writers, int batchPoints, int queuePoints, int rejectedKept,
        int lifecycleSeconds) {
      this(maxPayloadBytes, writers, batchPoints, queuePoints, rejectedKept, lifecycleSeconds, DEFAULTS.journal());
    }

    public TelemetryLimits {
      if (maxPayloadBytes < 1 || writers < 1 || batchPoints < 1 || queuePoints < 1 || rejectedKept < 1
          || lifecycleSeconds < 1) {
        throw new IllegalArgumentException("telemetry sizes must be at least 1");
      }
    }
  }

  /**
   * The tenant CAs. {@link #toString()} never shows the master key.
   *
   * @param masterKey the master key as configured (base64 or hex), if it is; else the key file is used
   * @param validityDays validity of a device certificate whose request names none
   * @param maxValidityDays the most a request may ask for
   * @param expiryWarningDays how long before its end of validity a certificate is warned of
   * @param expiryCheckMinutes how often expiring certificates are looked for
   */
  public record CaSettings(Optional<String> masterKey, int validityDays, int maxValidityDays, int expiryWarningDays,
      int expiryCheckMinutes) {
    public static final CaSettings DEFAULTS = new CaSettings(Optional.empty(),
        Integer.parseInt(Setting.CA_VALIDITY_DAYS.defaultText().orElseThrow()),
        Integer.parseInt(Setting.CA_MAX_VALIDITY_DAYS.defaultText().orElseThrow()),
        Integer.parseInt(Setting.CA_EXPIRY_WARNING_DAYS.defaultText().orElseThrow()),
        Integer.parseInt(Setting.CA_EXPIRY_CHECK_MINUTES.defaultText().orElseThrow()));

    /** The CA settings before expiry warnings were configurable, with their defaults. */
    public CaSettings(Optional<String> masterKey, int validityDays, int maxValidityDays) {
      this(masterKey, validityDays, maxValidityDays, DEFAULTS.expiryWarningDays, DEFAULTS.expiryCheckMinutes);
    }

    public CaSettings {
      Objects.requireNonNull(masterKey, "masterKey");
      if (validityDays < 1 || maxValidityDays < validityDays) {
        throw new IllegalArgumentException("certificate validity must be at least 1 day and at most the maximum");
      }
      if (expiryWarningDays < 1 || expiryCheckMinutes < 1) {
        throw new IllegalArgumentException("the expiry warning window and check interval must be at least 1");
      }
    }

    /** These settings with a configured master key. */
    public CaSettings withMasterKey(String key) {
      return new CaSettings(Optional.of(key), validityDays, maxValidityDays, expiryWarningDays, expiryCheckMinutes);
    }

    @Override
    public String toString() {
      return "CaSettings[masterKey=" + (masterKey.isPresent() ? "****" : "<key file>") + ", validityDays="
          + validityDays + ", maxValidityDays=" + maxValidityDays + ", expiryWarningDays=" + expiryWarningDays
          + ", expiryCheckMinutes=" + expiryCheckMinutes + "]";
    }
  }

  /** The twin limits of {@link Setting#TWIN_MAX_SECTION_BYTES} and {@link Setting#TWIN_MAX_DEPTH} by default. */
  public static final TwinLimits TWIN_DEFAULTS = new TwinLimits(
      Integer.parseInt(Setting.TWIN_MAX_SECTION_BYTES.defaultText().orElseThrow()),
      Integer.parseInt(Setting.TWIN_MAX_DEPTH.defaultText().orElseThrow()), TwinLimits.DEFAULT.historyKept());

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be from 0 to 65535, not " + port);
    }
  }
}
