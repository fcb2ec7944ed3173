package io.flotilla.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
  private final Path dir = Path.of("/srv/flotilla");

  /** The admin token never appears in toString, so it cannot leak into a log line. */
  @Test
  void toStringMasksAdminToken() {
    ServerConfig config = ServerConfig.forTests(dir).withAdminToken("s3cr3t-token");

    assertThat(config.adminToken()).contains("s3cr3t-token");
    assertThat(config.toString())
        .doesNotContain("s3cr3t-token")
        .contains("adminToken=****");
    assertThat(ServerConfig.forTests(dir).toString()).contains("adminToken=<none>");
  }

  /** The master key never appears in toString either. */
  @Test
  void toStringMasksMasterKey() {
    String key = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8w=";
    ServerConfig config = ServerConfig.forTests(dir).withCa(ServerConfig.CaSettings.DEFAULTS.withMasterKey(key));

    assertThat(config.ca().masterKey()).contains(key);
    assertThat(config.toString()).doesNotContain(key).contains("masterKey=****");
    assertThat(ServerConfig.forTests(dir).toString()).contains("masterKey=<key file>");
  }

  /** A database password inside a JDBC URL is masked in toString. */
  @Test
  void toStringMasksPasswordInJdbcUrl() {
    ServerConfig config = ServerConfig.forTests(dir)
        .withDbUrl("jdbc:postgresql://db:5432/flotilla?user=fl&password=hunter2&ssl=true");

    assertThat(config.toString())
        .doesNotContain("hunter2")
        .contains("dbUrl=jdbc:postgresql://db:5432/flotilla?user=fl&password=****&ssl=true");
  }

  /** Tests get free ports, local listeners and databases in their own data folder. */
  @Test
  void forTestsUsesFreePortsAndTheGivenDataFolder() {
    ServerConfig config = ServerConfig.forTests(dir);

    assertThat(config.dataDir()).isEqualTo(dir);
    assertThat(config.httpPort()).isZero();
    assertThat(config.mqttPort()).isZero();
    assertThat(config.mqttsPort()).isZero();
    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.dbUrl()).isEqualTo("jdbc:sqlite:/srv/flotilla/registry.db");
    assertThat(config.tsUrl()).isEqualTo("jdbc:duckdb:/srv/flotilla/telemetry.duckdb");
    assertThat(config.logLevel()).isEqualTo("info");
    assertThat(config.adminToken()).isEmpty();
    assertThat(config.maxBodyBytes()).isEqualTo(1_048_576L);
    assertThat(config.maxBulkBodyBytes()).isEqualTo(67_108_864L);
    assertThat(config.mqttAllowAnonymous()).isFalse();
  }

  /** The record itself refuses impossible values, whoever builds it. */
  @Test
  void constructorRejectsImpossibleValues() {
    assertThatThrownBy(() -> new ServerConfig(dir, "0.0.0.0", 70000, 0, 0, 0, "jdbc:sqlite:x",
        "jdbc:duckdb:x", "info", Optional.empty(), 1, 1, false, ServerConfig.MqttLimits.DEFAULTS,
        ServerConfig.TelemetryLimits.DEFAULTS, "optional", java.util.List.of(), ServerConfig.CaSettings.DEFAULTS,
        ServerConfig.TWIN_DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("httpPort must be from 0 to 65535, not 70000");
    assertThatThrownBy(() -> new ServerConfig(dir, "0.0.0.0", 0, 0, 0, 0, "jdbc:sqlite:x",
        "jdbc:duckdb:x", "info", Optional.empty(), 0, 1, false, ServerConfig.MqttLimits.DEFAULTS,
        ServerConfig.TelemetryLimits.DEFAULTS, "optional", java.util.List.of(), ServerConfig.CaSettings.DEFAULTS,
        ServerConfig.TWIN_DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
