package io.flotilla.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SettingTest {
  /** The names are an interface operators and scripts rely on; they change only on purpose. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      DATA_DIR             | data.dir                 | FLOTILLA_DATA_DIR                 | --data-dir                 | ./flotilla-data
      BIND_ADDRESS         | bind.address             | FLOTILLA_BIND_ADDRESS             | --bind-address             | 0.0.0.0
      HTTP_PORT            | http.port                | FLOTILLA_HTTP_PORT                | --http-port                | 8080
      MQTT_PORT            | mqtt.port                | FLOTILLA_MQTT_PORT                | --mqtt-port                | 1883
      MQTTS_PORT           | mqtts.port               | FLOTILLA_MQTTS_PORT               | --mqtts-port               | 8883
      HTTPS_PORT           | https.port               | FLOTILLA_HTTPS_PORT               | --https-port               | 8443
      DB_URL               | db.url                   | FLOTILLA_DB_URL                   | --db-url                   | jdbc:sqlite:<data dir>/registry.db
      TS_URL               | ts.url                   | FLOTILLA_TS_URL                   | --ts-url                   | jdbc:duckdb:<data dir>/telemetry.duckdb
      LOG_LEVEL            | log.level                | FLOTILLA_LOG_LEVEL                | --log-level                | info
      ADMIN_TOKEN          | admin.token              | FLOTILLA_ADMIN_TOKEN              | --admin-token              |
      MAX_BODY_BYTES       | http.max-body-bytes      | FLOTILLA_HTTP_MAX_BODY_BYTES      | --http-max-body-bytes      | 1048576
      MAX_BULK_BODY_BYTES  | http.max-bulk-body-bytes | FLOTILLA_HTTP_MAX_BULK_BODY_BYTES | --http-max-bulk-body-bytes | 67108864
      MQTT_ALLOW_ANONYMOUS | mqtt.allow-anonymous     | FLOTILLA_MQTT_ALLOW_ANONYMOUS     | --mqtt-allow-anonymous     | false
      MQTT_MAX_PUBLISH_RATE | mqtt.max-publish-rate   | FLOTILLA_MQTT_MAX_PUBLISH_RATE    | --mqtt-max-publish-rate    | 1000
      MQTT_MAX_PUBLISH_BYTES_RATE | mqtt.max-publish-bytes-rate | FLOTILLA_MQTT_MAX_PUBLISH_BYTES_RATE | --mqtt-max-publish-bytes-rate | 1048576
      MQTT_MAX_CONNECTIONS_PER_TENANT | mqtt.max-connections-per-tenant | FLOTILLA_MQTT_MAX_CONNECTIONS_PER_TENANT | --mqtt-max-connections-per-tenant | 0
      TLS_CLIENT_AUTH      | tls.client-auth          | FLOTILLA_TLS_CLIENT_AUTH          | --tls-client-auth          | optional
      TLS_NAMES            | tls.names                | FLOTILLA_TLS_NAMES                | --tls-names                |
      MASTER_KEY           | master-key               | FLOTILLA_MASTER_KEY               | --master-key               |
      CA_VALIDITY_DAYS     | ca.validity-days         | FLOTILLA_CA_VALIDITY_DAYS         | --ca-validity-days         | 365
      CA_MAX_VALIDITY_DAYS | ca.max-validity-days     | FLOTILLA_CA_MAX_VALIDITY_DAYS     | --ca-max-validity-days     | 1095
      """)
  void namesAndDefaultsAreStable(
      Setting setting, String fileKey, String envVar, String flag, String defaultText) {
    assertThat(setting.fileKey()).isEqualTo(fileKey);
    assertThat(setting.envVar()).isEqualTo(envVar);
    assertThat(setting.flag()).isEqualTo(flag);
    assertThat(setting.defaultText().orElse(null)).isEqualTo(defaultText);
  }

  /** Every default is itself a valid value, so defaults never fail at start. */
  @ParameterizedTest
  @EnumSource(Setting.class)
  void everyDefaultIsValid(Setting setting) {
    setting.defaultValue(Path.of("/data")).ifPresent(value ->
        assertThat(setting.parse(value)).isNotNull());
  }

  /** Only the admin token and the master key are secret, and their values are never displayed. */
  @ParameterizedTest
  @EnumSource(Setting.class)
  void onlyTheAdminTokenAndTheMasterKeyAreSecret(Setting setting) {
    assertThat(setting.secret()).isEqualTo(setting == Setting.ADMIN_TOKEN || setting == Setting.MASTER_KEY);
    if (setting.secret()) {
      assertThat(setting.displayValue("abc")).isEqualTo("****");
    }
  }
}
