package io.flotilla.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.twin.TwinLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path tmp;

  private final Map<Setting, String> flags = new EnumMap<>(Setting.class);
  private final Map<String, String> env = new HashMap<>();
  private Path dataDir;

  @BeforeEach
  void dataDirInTempFolder() {
    dataDir = tmp.resolve("data");
    env.put("FLOTILLA_DATA_DIR", dataDir.toString());
  }

  private ServerConfig load() {
    return ConfigLoader.load(flags, env, Optional.empty());
  }

  private ServerConfig load(Path configFile) {
    return ConfigLoader.load(flags, env, Optional.of(configFile));
  }

  private Path file(String name, String content) throws IOException {
    Path file = tmp.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  /** With nothing given, every setting has its documented default. */
  @Test
  void defaultsApplyWhenNothingIsGiven() {
    ServerConfig config = ConfigLoader.load(Map.of(), Map.of(), Optional.empty());

    Path expectedDir = Path.of("flotilla-data").toAbsolutePath();
    assertThat(config.dataDir()).isEqualTo(expectedDir);
    assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.mqttPort()).isEqualTo(1883);
    assertThat(config.mqttsPort()).isEqualTo(8883);
    assertThat(config.httpsPort()).isEqualTo(8443);
    assertThat(config.dbUrl()).isEqualTo("jdbc:sqlite:" + expectedDir.resolve("registry.db"));
    assertThat(config.tsUrl()).isEqualTo("jdbc:duckdb:" + expectedDir.resolve("telemetry.duckdb"));
    assertThat(config.logLevel()).isEqualTo("info");
    assertThat(config.adminToken()).isEmpty();
    assertThat(config.maxBodyBytes()).isEqualTo(1_048_576L);
    assertThat(config.maxBulkBodyBytes()).isEqualTo(67_108_864L);
    assertThat(config.mqttAllowAnonymous()).isFalse();
    assertThat(config.twin()).isEqualTo(new TwinLimits(32 * 1024, 10, 1000)).isEqualTo(TwinLimits.DEFAULT);
  }

  /** The database files follow the data folder unless their URLs are given. */
  @Test
  void databaseUrlsDefaultToFilesInTheDataFolder() {
    flags.put(Setting.DATA_DIR, tmp.resolve("elsewhere").toString());

    ServerConfig config = load();

    Path dir = tmp.resolve("elsewhere").toAbsolutePath();
    assertThat(config.dataDir()).isEqualTo(dir);
    assertThat(config.dbUrl()).isEqualTo("jdbc:sqlite:" + dir + "/registry.db");
    assertThat(config.tsUrl()).isEqualTo("jdbc:duckdb:" + dir + "/telemetry.duckdb");
  }

  /** A relative data folder is resolved against the working directory. */
  @Test
  void relativeDataFolderBecomesAbsolute() {
    flags.put(Setting.DATA_DIR, "some/../rel");

    assertThat(load().dataDir()).isEqualTo(Path.of("rel").toAbsolutePath());
  }

  /** Flags beat the environment, which beats the file, which beats the defaults. */
  @Test
  void flagsBeatEnvironmentWhichBeatsFileWhichBeatsDefaults() throws IOException {
    Path config = file("f.properties", "http.port=1001\nmqtt.port=1002\nmqtts.port=1003\n");
    env.put("FLOTILLA_MQTT_PORT", "2002");
    env.put("FLOTILLA_MQTTS_PORT", "2003");
    flags.put(Setting.MQTTS_PORT, "3003");

    ServerConfig loaded = load(config);

    assertThat(loaded.httpPort()).isEqualTo(1001);
    assertThat(loaded.mqttPort()).isEqualTo(2002);
    assertThat(loaded.mqttsPort()).isEqualTo(3003);
    assertThat(loaded.maxBodyBytes()).isEqualTo(1_048_576L);
  }

  /** Every setting can be given in the file, the environment and as a flag. */
  @Test
  void everySettingIsReadFromEverySource() throws IOException {
    Path fromFile = file("all.properties", """
        bind.address=127.0.0.1
        http.port=1
        mqtt.port=2
        mqtts.port=3
        https.port=4
        db.url=jdbc:postgresql://db/flotilla
        ts.url=jdbc:postgresql://db/telemetry
        log.level=DEBUG
        admin.token=s3cret-s3cret-s3cret
        http.max-body-bytes=10
        http.max-bulk-body-bytes=20
        mqtt.allow-anonymous=true
        mqtt.max-publish-rate=5
        mqtt.max-publish-bytes-rate=6
        mqtt.max-connections-per-tenant=7
        tls.client-auth=require
        tls.names=mqtt.example.com, 10.0.0.5
        master-key=q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8w=
        ca.validity-days=30
        ca.max-validity-days=60
        twin.max-section-bytes=512
        twin.max-depth=3
        """);
    ServerConfig config = load(fromFile);

    assertThat(config).isEqualTo(new ServerConfig(dataDir, "127.0.0.1", 1, 2, 3, 4,
        "jdbc:postgresql://db/flotilla", "jdbc:postgresql://db/telemetry", "debug",
        Optional.of("s3cret-s3cret-s3cret"), 10, 20, true, new ServerConfig.MqttLimits(5, 6, 7),
        ServerConfig.TelemetryLimits.DEFAULTS, "require", java.util.List.of("mqtt.example.com",
            "10.0.0.5"), new ServerConfig.CaSettings(Optional.of("q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8w="), 30,
            60), new TwinLimits(512, 3, 1000)));

    env.clear();
    env.put("FLOTILLA_DATA_DIR", dataDir.toString());
    env.put("FLOTILLA_BIND_ADDRESS", "::1");
    env.put("FLOTILLA_ADMIN_TOKEN", "from-env-0123456789");
    env.put("FLOTILLA_HTTP_MAX_BULK_BODY_BYTES", "30");
    env.put("FLOTILLA_MQTT_ALLOW_ANONYMOUS", "TRUE");
    env.put("FLOTILLA_TWIN_MAX_DEPTH", "4");
    flags.put(Setting.LOG_LEVEL, "warn");
    flags.put(Setting.TWIN_MAX_SECTION_BYTES, "2048");
    flags.put(Setting.DB_URL, "jdbc:sqlite:/x.db");
    ServerConfig mixed = load();

    assertThat(mixed.bindAddress()).isEqualTo("::1");
    assertThat(mixed.adminToken()).contains("from-env-0123456789");
    assertThat(mixed.maxBulkBodyBytes()).isEqualTo(30);
    assertThat(mixed.twin()).isEqualTo(new TwinLimits(2048, 4, 1000));
    assertThat(mixed.mqttAllowAnonymous()).isTrue();
    assertThat(mixed.logLevel()).isEqualTo("warn");
    assertThat(mixed.dbUrl()).isEqualTo("jdbc:sqlite:/x.db");
  }

  /** FLOTILLA_CONFIG names the file when --config does not; --config wins over it. */
  @Test
  void configFileComesFromFlagOrEnvironment() throws IOException {
    Path viaEnv = file("env.properties", "http.port=1111\n");
    Path viaFlag = file("flag.properties", "http.port=2222\n");
    env.put("FLOTILLA_CONFIG", viaEnv.toString());

    assertThat(load().httpPort()).isEqualTo(1111);
    assertThat(load(viaFlag).httpPort()).isEqualTo(2222);
  }

  /** Without --config or FLOTILLA_CONFIG, flotilla.properties in the data folder is read. */
  @Test
  void dataFolderConfigFileIsReadWhenPresent() throws IOException {
    assertThat(load().httpPort()).isEqualTo(8080);

    file("data/flotilla.properties", "http.port=4444\n");

    assertThat(load().httpPort()).isEqualTo(4444);
  }

  /** The data folder's own file cannot move the data folder: that would be circular. */
  @Test
  void dataFolderConfigFileCannotSetTheDataFolder() throws IOException {
    file("data/flotilla.properties", "data.dir=/elsewhere\n");

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("data.dir cannot be set in " + dataDir.resolve("flotilla.properties"))
        .hasMessageContaining("--data-dir");
  }

  /** A config file named explicitly may move the data folder, and the defaults follow it. */
  @Test
  void namedConfigFileMayMoveTheDataFolder() throws IOException {
    env.remove("FLOTILLA_DATA_DIR");
    Path other = tmp.resolve("other");
    Path config = file("c.properties", "data.dir=" + other + "\n");

    ServerConfig loaded = load(config);

    assertThat(loaded.dataDir()).isEqualTo(other);
    assertThat(loaded.dbUrl()).isEqualTo("jdbc:sqlite:" + other + "/registry.db");
  }

  /** A config file that was named but is not there is an error, not silently skipped. */
  @Test
  void missingNamedConfigFileIsAnError() {
    Path missing = tmp.resolve("nope.properties");

    assertThatThrownBy(() -> load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Config file " + missing + " (from --config) does not exist or is not a file");

    env.put("FLOTILLA_CONFIG", missing.toString());
    assertThatThrownBy(this::load)
        .hasMessage("Config file " + missing
            + " (from FLOTILLA_CONFIG) does not exist or is not a file");
  }

  /** A misspelt key in the file is an error with a suggestion, never silently ignored. */
  @Test
  void unknownKeyInFileIsAnError() throws IOException {
    Path config = file("typo.properties", "htp.port=80\n");

    assertThatThrownBy(() -> load(config))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Unknown setting 'htp.port' in config file " + config
            + "; did you mean 'http.port'?");
  }

  /** A key far from every known one points at the documentation instead of guessing. */
  @Test
  void unknownKeyWithoutNearMatchPointsAtTheDocumentation() throws IOException {
    Path config = file("far.properties", "completely.different=1\n");

    assertThatThrownBy(() -> load(config))
        .hasMessage("Unknown setting 'completely.different' in config file " + config
            + "; CONFIGURATION.md lists the settings");
  }

  /** Unknown FLOTILLA_* variables (such as the launcher's FLOTILLA_JAVA_OPTS) are not errors. */
  @Test
  void otherFlotillaEnvironmentVariablesAreIgnored() {
    env.put("FLOTILLA_JAVA_OPTS", "-Xmx1g");

    assertThat(load().httpPort()).isEqualTo(8080);
  }

  /** An empty environment variable counts as unset, as shells make them easily. */
  @Test
  void emptyEnvironmentVariableCountsAsUnset() {
    env.put("FLOTILLA_HTTP_PORT", "");
    env.put("FLOTILLA_ADMIN_TOKEN", " ");

    ServerConfig config = load();

    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.adminToken()).isEmpty();
  }

  /** Surrounding whitespace, invisible in a properties file, is not part of a value. */
  @Test
  void valuesAreStripped() throws IOException {
    Path config = file("ws.properties", "http.port = 9090   \nlog.level=warn\t\n");

    ServerConfig loaded = load(config);

    assertThat(loaded.httpPort()).isEqualTo(9090);
    assertThat(loaded.logLevel()).isEqualTo("warn");
  }

  /** Two listeners on one port would fail at bind time; say so before starting anything. */
  @Test
  void twoListenersOnOnePortIsAnError() {
    flags.put(Setting.MQTT_PORT, "8080");

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessage("http.port and mqtt.port are both 8080; give each listener its own port,"
            + " e.g. with --mqtt-port or FLOTILLA_MQTT_PORT");
  }

  /** Port 0 means any free port, so several listeners may all ask for it. */
  @Test
  void severalListenersMayAskForAnyFreePort() {
    flags.put(Setting.HTTP_PORT, "0");
    flags.put(Setting.MQTT_PORT, "0");
    flags.put(Setting.MQTTS_PORT, "0");

    ServerConfig config = load();

    assertThat(config.httpPort()).isZero();
    assertThat(config.mqttPort()).isZero();
  }
}
