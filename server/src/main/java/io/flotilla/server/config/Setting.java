package io.flotilla.server.config;

import io.flotilla.core.service.Bootstrap;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every setting of the server. Each has a key in the config file; its environment variable and
 * command-line flag are derived from that key ({@code http.max-body-bytes} becomes
 * {@code FLOTILLA_HTTP_MAX_BODY_BYTES} and {@code --http-max-body-bytes}), so the three names
 * cannot drift apart. CONFIGURATION.md is rendered from this enum by {@link ConfigurationDoc}.
 */
public enum Setting {
  DATA_DIR("data.dir", "./flotilla-data", ValueParser.path(),
      "Folder for the embedded databases and the default config file `flotilla.properties`."),
  BIND_ADDRESS("bind.address", "0.0.0.0", ValueParser.host(),
      "Address the HTTP and MQTT listeners bind to; `127.0.0.1` keeps them on this machine."),
  HTTP_PORT("http.port", "8080", ValueParser.port(),
      "Port of the REST API, console, health checks and metrics; 0 picks a free port."),
  MQTT_PORT("mqtt.port", "1883", ValueParser.port(),
      "Port of the plain MQTT listener, meant for development; 0 picks a free port."),
  MQTTS_PORT("mqtts.port", "8883", ValueParser.port(),
      "Port of the MQTT over TLS listener with client certificates; 0 picks a free port."),
  HTTPS_PORT("https.port", "8443", ValueParser.port(),
      "Port of the HTTPS listener: the REST API as on the HTTP port, with the MQTT TLS listener's server"
          + " certificate; devices may send telemetry with their client certificate there. 0 picks a free port."),
  DB_URL("db.url", "jdbc:sqlite:" + Setting.DATA_DIR_PLACEHOLDER + "/registry.db",
      ValueParser.jdbcUrl("jdbc:sqlite:", "jdbc:postgresql:"),
      "Registry database (tenants, devices, twins, jobs, audit): SQLite file or PostgreSQL."),
  TS_URL("ts.url", "jdbc:duckdb:" + Setting.DATA_DIR_PLACEHOLDER + "/telemetry.duckdb",
      ValueParser.jdbcUrl("jdbc:duckdb:", "jdbc:postgresql:"),
      "Telemetry (time series) database: DuckDB file or PostgreSQL."),
  LOG_LEVEL("log.level", "info", ValueParser.oneOf("trace", "debug", "info", "warn", "error"),
      "Level of Flotilla's own log messages: trace, debug, info, warn or error. Libraries log at"
          + " info at most, or at this level if it is quieter."),
  ADMIN_TOKEN("admin.token", null, ValueParser.secret(Bootstrap.MIN_ADMIN_TOKEN_LENGTH),
      "Bearer token of the default tenant's administrator, taken on the first start (empty"
          + " registry); when not set, one is generated into `<data dir>/admin.token`. At least "
          + Bootstrap.MIN_ADMIN_TOKEN_LENGTH + " characters. Secret: never printed or logged."),
  MAX_BODY_BYTES("http.max-body-bytes", "1048576", ValueParser.byteCount(),
      "Largest HTTP request body accepted, in bytes; a larger request gets 413."),
  MAX_BULK_BODY_BYTES("http.max-bulk-body-bytes", "67108864", ValueParser.byteCount(),
      "Largest request body accepted by bulk endpoints (imports, batches), in bytes."),
  MQTT_ALLOW_ANONYMOUS("mqtt.allow-anonymous", "false", ValueParser.bool(),
      "Accept MQTT connections without credentials (`true` or `false`); for development only."),
  MQTT_MAX_PUBLISH_RATE("mqtt.max-publish-rate", "1000", ValueParser.count(),
      "PUBLISH messages per second one MQTT connection may send before the broker slows it down by"
          + " reading less; 0 for no limit."),
  MQTT_MAX_PUBLISH_BYTES_RATE("mqtt.max-publish-bytes-rate", "1048576", ValueParser.count(),
      "PUBLISH bytes per second one MQTT connection may send before the broker slows it down; 0 for no limit."),
  MQTT_MAX_CONNECTIONS_PER_TENANT("mqtt.max-connections-per-tenant", "0", ValueParser.count(),
      "How many MQTT clients of one tenant may be connected at once (CONNACK 0x97 past it); 0 for no limit."),
  TELEMETRY_MAX_PAYLOAD_BYTES("telemetry.max-payload-bytes", "65536", ValueParser.byteCount(),
      "Largest telemetry payload accepted (MQTT or HTTP), in bytes; a larger one is rejected with its size named."),
  TELEMETRY_WRITERS("telemetry.writers", "2", ValueParser.count(),
      "Writer threads of the telemetry pipeline; each device always lands on the same one, so its order holds."),
  TELEMETRY_BATCH_POINTS("telemetry.batch-points", "5000", ValueParser.count(),
      "Most data points written in one commit (group commit); devices are acknowledged once their commit is durable."),
  TELEMETRY_QUEUE_POINTS("telemetry.queue-points", "100000", ValueParser.count(),
      "Data points queued for the store above which devices are slowed down (MQTT stops being read, HTTP gets 503"
          + " with Retry-After); at twice this, new messages are refused."),
  TELEMETRY_REJECTED_KEPT("telemetry.rejected-kept", "10000", ValueParser.count(),
      "Rejected telemetry payloads kept per tenant in the dead-letter list; the oldest go first."),
  TELEMETRY_LIFECYCLE_SECONDS("telemetry.lifecycle-seconds", "60", ValueParser.count(),
      "Seconds between runs of the telemetry lifecycle job (rollups, retention, compaction)."),
  TELEMETRY_JOURNAL("telemetry.journal", "true", ValueParser.bool(),
      "DuckDB only: acknowledge telemetry once it is synced to an ingest journal beside the DuckDB file, and store it"
          + " in DuckDB right after (`true`), rather than at DuckDB's own commit (`false`), whose checkpoints stall"
          + " writes for a moment every few seconds under load. Either way nothing acknowledged is lost."),
  TWIN_MAX_SECTION_BYTES("twin.max-section-bytes", "32768", ValueParser.byteCount(),
      "Largest size of one twin section (desired or reported) as compact JSON, in bytes; a patch that would make it"
          + " larger is refused with 413 `too-large` (REST) or on `…/report/rejected` (MQTT), changing nothing."),
  TWIN_MAX_DEPTH("twin.max-depth", "10", ValueParser.count(),
      "Deepest nesting of one twin section (`{}` is 1, `{\"a\":{\"b\":1}}` is 2); a patch that would nest deeper is"
          + " refused with 413 `too-deep`, changing nothing."),
  TLS_CLIENT_AUTH("tls.client-auth", "optional", ValueParser.oneOf("none", "optional", "require"),
      "Client certificates on the MQTT TLS listener: none, optional (devices may also use tokens) or"
          + " require. The HTTPS listener asks for one unless this is none, and never requires it."),
  TLS_NAMES("tls.names", null, ValueParser.names(),
      "Extra DNS names or IP addresses, comma-separated, for the server certificate that Flotilla issues"
          + " itself (localhost, 127.0.0.1 and the host name are always in it)."),
  MASTER_KEY("master-key", null, ValueParser.masterKey(),
      "The 256-bit key that seals the private keys of the tenant CAs, in base64 (`openssl rand -base64 32`) or"
          + " hex. When not set, one is generated on the first start into `<data dir>/master.key` (mode 600)."
          + " Back it up with the database: without it the CAs cannot sign. Every node of a cluster needs the"
          + " same one. Secret: never printed or logged."),
  CA_VALIDITY_DAYS("ca.validity-days", "365", ValueParser.count(),
      "Days a device certificate issued from a CSR is valid when the request names no `validityDays`."),
  CA_MAX_VALIDITY_DAYS("ca.max-validity-days", "1095", ValueParser.count(),
      "Most days a device certificate may be valid; a request asking for more is refused."),
  CA_EXPIRY_WARNING_DAYS("ca.expiry-warning-days", "30", ValueParser.count(),
      "Days before a device certificate's end of validity when a `certificate.expiring` event is emitted for it"
          + " (once per certificate), and the default window of `GET /api/v1/certificates/expiring`."),
  CA_EXPIRY_CHECK_MINUTES("ca.expiry-check-minutes", "60", ValueParser.count(),
      "Minutes between two checks for device certificates expiring within `ca.expiry-warning-days`.");

  /** Stands for the data folder in defaults derived from it. */
  public static final String DATA_DIR_PLACEHOLDER = "<data dir>";

  /** Prefix of every environment variable that configures Flotilla. */
  public static final String ENV_PREFIX = "FLOTILLA_";

  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(?i)(password=)[^&;]*");

  private final String fileKey;
  private final Optional<String> defaultText;
  private final ValueParser parser;
  private final String doc;

  Setting(String fileKey, String defaultText, ValueParser parser, String doc) {
    this.fileKey = fileKey;
    this.defaultText = Optional.ofNullable(defaultText);
    this.parser = parser;
    this.doc = doc;
  }

  /** The key in the config file, e.g. {@code http.port}. */
  public String fileKey() {
    return fileKey;
  }

  /** The environment variable, e.g. {@code FLOTILLA_HTTP_PORT}. */
  public String envVar() {
    return ENV_PREFIX + fileKey.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** The command-line flag of {@code flotilla server}, e.g. {@code --http-port}. */
  public String flag() {
    return "--" + fileKey.replace('.', '-');
  }

  /** The default as documented, possibly containing {@link #DATA_DIR_PLACEHOLDER}. */
  public Optional<String> defaultText() {
    return defaultText;
  }

  /** The default for this data folder, or empty when the setting has none. */
  public Optional<String> defaultValue(Path dataDir) {
    return defaultText.map(text -> text.replace(DATA_DIR_PLACEHOLDER, dataDir.toString()));
  }

  /** One line saying what the setting does. */
  public String doc() {
    return doc;
  }

  /** A secret's value is never printed: not in errors, not in logs, not in toString. */
  public boolean secret() {
    return this == ADMIN_TOKEN || this == MASTER_KEY;
  }

  /**
   * How a value may appear in messages: secrets not at all, passwords inside JDBC URLs masked.
   */
  public String displayValue(String value) {
    if (secret()) {
      return "****";
    }
    return PASSWORD_PARAM.matcher(value).replaceAll("$1****");
  }

  /** Parses a value; throws IllegalArgumentException saying what a valid value looks like. */
  Object parse(String text) {
    return parser.parse(text);
  }
}
