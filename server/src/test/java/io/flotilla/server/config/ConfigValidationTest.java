package io.flotilla.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each invalid value gives one line naming the setting, the value, its source and the fix. */
class ConfigValidationTest {
  @TempDir
  Path tmp;

  private Map<String, String> env() {
    return Map.of("FLOTILLA_DATA_DIR", tmp.resolve("data").toString());
  }

  private String errorFromFlag(Setting setting, String value) {
    return messageOf(() -> ConfigLoader.load(Map.of(setting, value), env(), Optional.empty()));
  }

  private String errorFromEnv(Setting setting, String value) {
    Map<String, String> env = Map.of("FLOTILLA_DATA_DIR", tmp.resolve("data").toString(),
        setting.envVar(), value);
    return messageOf(() -> ConfigLoader.load(Map.of(), env, Optional.empty()));
  }

  private String errorFromFile(Setting setting, String value) throws IOException {
    Path file = tmp.resolve("bad.properties");
    Files.writeString(file, setting.fileKey() + "=" + value + "\n");
    return messageOf(() -> ConfigLoader.load(Map.of(), env(), Optional.of(file)));
  }

  private static String messageOf(Runnable load) {
    try {
      load.run();
    } catch (ConfigException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException");
  }

  /** A bad value is reported with the setting's name in the source it came from. */
  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', textBlock = """
      HTTP_PORT            | abc        | must be an integer from 0 to 65535
      HTTP_PORT            | 65536      | must be an integer from 0 to 65535
      MQTT_PORT            | -1         | must be an integer from 0 to 65535
      MQTTS_PORT           | 88.3       | must be an integer from 0 to 65535
      LOG_LEVEL            | verbose    | must be one of trace, debug, info, warn, error
      BIND_ADDRESS         | my host    | must be an IP address or host name, such as 0.0.0.0, 127.0.0.1 or ::
      DB_URL               | jdbc:h2:x  | must be a JDBC URL starting with jdbc:sqlite: or jdbc:postgresql: followed by a database location
      TS_URL               | jdbc:sqlite:x | must be a JDBC URL starting with jdbc:duckdb: or jdbc:postgresql: followed by a database location
      MAX_BODY_BYTES       | 0          | must be a whole number of bytes, at least 1
      MAX_BULK_BODY_BYTES  | 64MB       | must be a whole number of bytes, at least 1
      MQTT_ALLOW_ANONYMOUS | yes        | must be true or false
      """)
  void invalidValueNamesSettingAndSource(Setting setting, String value, String problem)
      throws IOException {
    assertThat(errorFromFlag(setting, value)).isEqualTo("Invalid " + setting.fileKey() + " '"
        + value + "' from flag " + setting.flag() + ": " + problem);
    assertThat(errorFromEnv(setting, value)).isEqualTo("Invalid " + setting.fileKey() + " '"
        + value + "' from environment variable " + setting.envVar() + ": " + problem);
    assertThat(errorFromFile(setting, value)).isEqualTo("Invalid " + setting.fileKey() + " '"
        + value + "' from config file " + tmp.resolve("bad.properties") + ": " + problem);
  }

  /** A value given but empty is an error for flags and files (only env treats it as unset). */
  @Test
  void emptyFlagIsAnError() {
    assertThat(errorFromFlag(Setting.HTTP_PORT, ""))
        .isEqualTo("Invalid http.port '' from flag --http-port: must be an integer from 0 to 65535");
    assertThat(errorFromFlag(Setting.DATA_DIR, " "))
        .isEqualTo("Invalid data.dir '' from flag --data-dir: must be a folder path, not empty");
  }

  /** The admin token is a secret: an error about it never repeats it. */
  @Test
  void invalidAdminTokenIsNotRepeated() throws IOException {
    String token = "top secret but with a space";

    assertThat(errorFromEnv(Setting.ADMIN_TOKEN, token))
        .isEqualTo("Invalid admin.token from environment variable FLOTILLA_ADMIN_TOKEN:"
            + " must be at least 16 characters long, without whitespace")
        .doesNotContain("secret");
    assertThat(errorFromFlag(Setting.ADMIN_TOKEN, token)).doesNotContain("secret");
    assertThat(errorFromFile(Setting.ADMIN_TOKEN, token)).doesNotContain("secret");
  }

  /** A malformed master key is refused at load, saying what a key looks like and never repeating it. */
  @Test
  void invalidMasterKeyIsNotRepeated() throws IOException {
    String key = "c2VjcmV0LWJ1dC1zaG9ydA==";

    assertThat(errorFromEnv(Setting.MASTER_KEY, key))
        .startsWith("Invalid master-key from environment variable FLOTILLA_MASTER_KEY: must be 32 random bytes")
        .contains("openssl rand -base64 32").doesNotContain(key);
    assertThat(errorFromFile(Setting.MASTER_KEY, key)).doesNotContain(key);
  }

  /** A default certificate validity above the maximum is refused, naming both settings. */
  @Test
  void validityAboveTheMaximumIsRefused() {
    String error = messageOf(() -> ConfigLoader.load(Map.of(Setting.CA_VALIDITY_DAYS, "400",
        Setting.CA_MAX_VALIDITY_DAYS, "365"), env(), Optional.empty()));

    assertThat(error).contains("ca.validity-days (400)").contains("ca.max-validity-days (365)");
  }

  /** A short admin token is refused here, naming where it came from, not later at start. */
  @Test
  void shortAdminTokenIsRefused() {
    assertThat(errorFromFlag(Setting.ADMIN_TOKEN, "short"))
        .isEqualTo("Invalid admin.token from flag --admin-token:"
            + " must be at least 16 characters long, without whitespace");
  }

  /** A password inside a JDBC URL is masked when the URL is shown in an error. */
  @Test
  void passwordInInvalidUrlIsMasked() {
    String error = errorFromFlag(Setting.DB_URL, "jdbc:mysql://db/x?user=a&password=hunter2");

    assertThat(error)
        .startsWith("Invalid db.url 'jdbc:mysql://db/x?user=a&password=****' from flag --db-url")
        .doesNotContain("hunter2");
  }

  /** Log levels are matched ignoring case, and stored lower-case. */
  @Test
  void logLevelIgnoresCase() {
    ServerConfig config =
        ConfigLoader.load(Map.of(Setting.LOG_LEVEL, "TRACE"), env(), Optional.empty());

    assertThat(config.logLevel()).isEqualTo("trace");
  }

  /** Twin limits a twin could never meet are refused with the setting named. */
  @Test
  void twinLimitsMustLeaveRoomForATwin() {
    assertThat(errorFromFlag(Setting.TWIN_MAX_SECTION_BYTES, "1"))
        .isEqualTo("twin.max-section-bytes must be from 2 (the empty object {}) to 2147483647 bytes, not 1");
    assertThat(errorFromEnv(Setting.TWIN_MAX_DEPTH, "0")).isEqualTo("twin.max-depth must be at least 1, not 0");
  }

  /** Bytes that are not UTF-8 in the config file give a clear error, not a decoder message. */
  @Test
  void configFileMustBeUtf8() throws IOException {
    Path file = tmp.resolve("latin1.properties");
    Files.write(file, new byte[] {'a', '=', (byte) 0xE9, '\n'});

    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), env(), Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Config file " + file + " is not valid UTF-8 text");
  }
}
