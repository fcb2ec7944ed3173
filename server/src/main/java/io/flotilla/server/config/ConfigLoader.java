package io.flotilla.server.config;

import io.flotilla.core.twin.TwinLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the {@link ServerConfig} once, from four sources; a later one wins:
 * defaults, the config file, {@code FLOTILLA_*} environment variables, command-line flags.
 *
 * <p>The config file is the one named by {@code --config} (passed in as {@code configFile}),
 * else by {@code FLOTILLA_CONFIG}, else {@code <data dir>/flotilla.properties} when it exists.
 * Every problem is a {@link ConfigException} with a one-line message naming the setting and
 * where its value came from. The environment is a parameter so that tests do not depend on the
 * real one.
 */
public final class ConfigLoader {
  /** The flag naming the config file. */
  public static final String CONFIG_FLAG = "--config";
  /** The environment variable naming the config file. */
  public static final String CONFIG_ENV = "FLOTILLA_CONFIG";
  /** The config file read from the data folder when no other is named. */
  public static final String DEFAULT_FILE_NAME = "flotilla.properties";

  private static final List<Setting> PORTS =
      List.of(Setting.HTTP_PORT, Setting.MQTT_PORT, Setting.MQTTS_PORT, Setting.HTTPS_PORT);

  private ConfigLoader() {
  }

  /**
   * Loads the configuration.
   *
   * @param flags values given as command-line flags; settings not given are absent
   * @param environment the process environment, e.g. {@link System#getenv()}; an empty
   *     variable counts as unset
   * @param configFile the file named by {@code --config}, if given
   */
  public static ServerConfig load(
      Map<Setting, String> flags, Map<String, String> environment, Optional<Path> configFile) {
    Map<Setting, RawValue> chosen = new EnumMap<>(Setting.class);
    findFile(flags, environment, configFile).ifPresent(file ->
        file.values().forEach((setting, text) ->
            chosen.put(setting, new RawValue(text, file.origin()))));
    chosen.putAll(fromEnvironmentAndFlags(flags, environment));

    Path dataDir = (Path) resolve(Setting.DATA_DIR, chosen, Path.of(""));
    Map<Setting, Object> values = new EnumMap<>(Setting.class);
    for (Setting setting : Setting.values()) {
      values.put(setting, resolve(setting, chosen, dataDir));
    }
    checkDistinctPorts(values);
    return new ServerConfig(
        dataDir,
        (String) values.get(Setting.BIND_ADDRESS),
        (Integer) values.get(Setting.HTTP_PORT),
        (Integer) values.get(Setting.MQTT_PORT),
        (Integer) values.get(Setting.MQTTS_PORT),
        (Integer) values.get(Setting.HTTPS_PORT),
        (String) values.get(Setting.DB_URL),
        (String) values.get(Setting.TS_URL),
        (String) values.get(Setting.LOG_LEVEL),
        Optional.ofNullable((String) values.get(Setting.ADMIN_TOKEN)),
        (Long) values.get(Setting.MAX_BODY_BYTES),
        (Long) values.get(Setting.MAX_BULK_BODY_BYTES),
        (Boolean) values.get(Setting.MQTT_ALLOW_ANONYMOUS),
        new ServerConfig.MqttLimits((Integer) values.get(Setting.MQTT_MAX_PUBLISH_RATE),
            (Integer) values.get(Setting.MQTT_MAX_PUBLISH_BYTES_RATE),
            (Integer) values.get(Setting.MQTT_MAX_CONNECTIONS_PER_TENANT)),
        new ServerConfig.TelemetryLimits(
            (int) Math.min(Integer.MAX_VALUE, (Long) values.get(Setting.TELEMETRY_MAX_PAYLOAD_BYTES)),
            atLeastOne(values, Setting.TELEMETRY_WRITERS), atLeastOne(values, Setting.TELEMETRY_BATCH_POINTS),
            atLeastOne(values, Setting.TELEMETRY_QUEUE_POINTS), atLeastOne(values, Setting.TELEMETRY_REJECTED_KEPT),
            atLeastOne(values, Setting.TELEMETRY_LIFECYCLE_SECONDS), (Boolean) values.get(Setting.TELEMETRY_JOURNAL)),
        (String) values.get(Setting.TLS_CLIENT_AUTH),
        names(values.get(Setting.TLS_NAMES)),
        caSettings(values),
        twinLimits(values));
  }

  private static TwinLimits twinLimits(Map<Setting, Object> values) {
    long sectionBytes = (Long) values.get(Setting.TWIN_MAX_SECTION_BYTES);
    if (sectionBytes < 2 || sectionBytes > Integer.MAX_VALUE) {
      throw new ConfigException(Setting.TWIN_MAX_SECTION_BYTES.fileKey() + " must be from 2 (the empty object {}) to "
          + Integer.MAX_VALUE + " bytes, not " + sectionBytes);
    }
    return new TwinLimits((int) sectionBytes, atLeastOne(values, Setting.TWIN_MAX_DEPTH),
        ServerConfig.TWIN_DEFAULTS.historyKept());
  }

  private static ServerConfig.CaSettings caSettings(Map<Setting, Object> values) {
    int validity = atLeastOne(values, Setting.CA_VALIDITY_DAYS);
    int max = atLeastOne(values, Setting.CA_MAX_VALIDITY_DAYS);
    if (validity > max) {
      throw new ConfigException(Setting.CA_VALIDITY_DAYS.fileKey() + " (" + validity + ") is more than "
          + Setting.CA_MAX_VALIDITY_DAYS.fileKey() + " (" + max + "); lower the first or raise the second");
    }
    return new ServerConfig.CaSettings(Optional.ofNullable((String) values.get(Setting.MASTER_KEY)), validity, max,
        atLeastOne(values, Setting.CA_EXPIRY_WARNING_DAYS), atLeastOne(values, Setting.CA_EXPIRY_CHECK_MINUTES));
  }

  private static int atLeastOne(Map<Setting, Object> values, Setting setting) {
    int value = (Integer) values.get(setting);
    if (value < 1) {
      throw new ConfigException(setting.fileKey() + " must be at least 1, not " + value);
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static List<String> names(Object parsed) {
    return parsed == null ? List.of() : (List<String>) parsed;
  }

  /** Loads with the real process environment. */
  public static ServerConfig load(Map<Setting, String> flags, Optional<Path> configFile) {
    return load(flags, System.getenv(), configFile);
  }

  private static Optional<ConfigFile> findFile(
      Map<Setting, String> flags, Map<String, String> environment, Optional<Path> configFile) {
    if (configFile.isPresent()) {
      return Optional.of(ConfigFile.read(configFile.get(), CONFIG_FLAG));
    }
    String fromEnv = environment.getOrDefault(CONFIG_ENV, "").strip();
    if (!fromEnv.isEmpty()) {
      return Optional.of(ConfigFile.read(Path.of(fromEnv), CONFIG_ENV));
    }
    Map<Setting, RawValue> early = fromEnvironmentAndFlags(flags, environment);
    Path dataDir = (Path) resolve(Setting.DATA_DIR, early, Path.of(""));
    Path implicit = dataDir.resolve(DEFAULT_FILE_NAME);
    if (!Files.isRegularFile(implicit)) {
      return Optional.empty();
    }
    ConfigFile file = ConfigFile.read(implicit, "the data folder");
    if (file.values().containsKey(Setting.DATA_DIR)) {
      throw new ConfigException(Setting.DATA_DIR.fileKey() + " cannot be set in " + file.path()
          + ", the data folder's own config file; use " + Setting.DATA_DIR.flag() + " or "
          + Setting.DATA_DIR.envVar() + ", or name a config file elsewhere with " + CONFIG_FLAG);
    }
    return Optional.of(file);
  }

  private static Map<Setting, RawValue> fromEnvironmentAndFlags(
      Map<Setting, String> flags, Map<String, String> environment) {
    Map<Setting, RawValue> chosen = new EnumMap<>(Setting.class);
    for (Setting setting : Setting.values()) {
      String env = environment.get(setting.envVar());
      if (env != null && !env.isBlank()) {
        chosen.put(setting,
            new RawValue(env.strip(), "environment variable " + setting.envVar()));
      }
      String flag = flags.get(setting);
      if (flag != null) {
        chosen.put(setting, new RawValue(flag.strip(), "flag " + setting.flag()));
      }
    }
    return chosen;
  }

  /** The parsed value of a setting, or null when it is not set and has no default. */
  private static Object resolve(Setting setting, Map<Setting, RawValue> chosen, Path dataDir) {
    RawValue raw = chosen.get(setting);
    if (raw == null) {
      return setting.defaultValue(dataDir).map(setting::parse).orElse(null);
    }
    try {
      return setting.parse(raw.text());
    } catch (IllegalArgumentException e) {
      String shown = setting.secret() ? "" : " '" + setting.displayValue(raw.text()) + "'";
      throw new ConfigException("Invalid " + setting.fileKey() + shown + " from " + raw.origin()
          + ": " + e.getMessage(), e);
    }
  }

  private static void checkDistinctPorts(Map<Setting, Object> values) {
    for (int i = 0; i < PORTS.size(); i++) {
      for (int j = i + 1; j < PORTS.size(); j++) {
        Setting a = PORTS.get(i);
        Setting b = PORTS.get(j);
        int port = (Integer) values.get(a);
        if (port != 0 && port == (Integer) values.get(b)) {
          throw new ConfigException(a.fileKey() + " and " + b.fileKey() + " are both " + port
              + "; give each listener its own port, e.g. with " + b.flag() + " or "
              + b.envVar());
        }
      }
    }
  }

  /** A setting's text as given, and where it came from, e.g. "flag --http-port". */
  private record RawValue(String text, String origin) {
  }
}
