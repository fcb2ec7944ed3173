package io.flotilla.cli;

import io.flotilla.server.FlotillaServer;
import io.flotilla.server.config.ConfigLoader;
import io.flotilla.server.config.LogLevels;
import io.flotilla.server.config.ServerConfig;
import io.flotilla.server.config.Setting;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla server}: loads the configuration, starts the server and runs until the JVM is
 * told to stop (Ctrl-C, SIGTERM), then closes it. Every {@link Setting} is a flag, added from
 * the enum by {@link #addSettingOptions}, so a new setting is a new flag without code here.
 */
@Command(
    name = "server",
    sortOptions = false,
    description = {
        "Runs the Flotilla server until stopped with Ctrl-C or SIGTERM.",
        "Each setting comes from, in rising precedence: its default, the config file,"
            + " its FLOTILLA_* environment variable, its flag. See CONFIGURATION.md."})
final class ServerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);

  @Spec
  CommandSpec spec;

  @Option(
      names = ConfigLoader.CONFIG_FLAG,
      paramLabel = "<file>",
      description = "Config file in Java properties format. Env: " + ConfigLoader.CONFIG_ENV
          + ". Default: " + Setting.DATA_DIR_PLACEHOLDER + "/" + ConfigLoader.DEFAULT_FILE_NAME
          + " if it exists.")
  Path configFile;

  /** Adds one option per setting to the {@code server} command. */
  static void addSettingOptions(CommandSpec server) {
    for (Setting setting : Setting.values()) {
      OptionSpec.Builder option = OptionSpec.builder(setting.flag())
          .type(String.class)
          .paramLabel(paramLabel(setting))
          .description(setting.doc().replace("`", "")
              + " Default: " + setting.defaultText().orElse("none")
              + ". Env: " + setting.envVar() + ".");
      if (setting == Setting.MQTT_ALLOW_ANONYMOUS) {
        option.arity("0..1").fallbackValue("true");
      }
      server.addOption(option.build());
    }
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig config = ConfigLoader.load(
        givenFlags(), System.getenv(), Optional.ofNullable(configFile));
    LogLevels.apply(config.logLevel());
    LOG.debug("Starting with {}", config);
    FlotillaServer server = FlotillaServer.start(config);
    server.generatedAdminToken().ifPresent(token -> spec.commandLine().getOut().printf(
        "%nFirst start: the administrator's API token is%n%n    %s%n%n"
            + "It is shown only this once and kept in %s (readable only by you).%n%n",
        token, server.adminTokenFile()));
    Thread closer = new Thread(server::close, "flotilla-shutdown");
    Runtime.getRuntime().addShutdownHook(closer);
    try {
      server.awaitShutdown();
    } finally {
      if (removeShutdownHook(closer)) {
        server.close();
      }
    }
    return 0;
  }

  /** False when the JVM is stopping: then the hook is closing the server already. */
  private static boolean removeShutdownHook(Thread hook) {
    try {
      return Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      return false;
    }
  }

  /** The settings given as flags on this command line; the others are absent. */
  private Map<Setting, String> givenFlags() {
    Map<Setting, String> flags = new EnumMap<>(Setting.class);
    for (Setting setting : Setting.values()) {
      OptionSpec option = spec.findOption(setting.flag());
      if (option != null && option.getValue() != null) {
        flags.put(setting, option.getValue());
      }
    }
    return flags;
  }

  private static String paramLabel(Setting setting) {
    if (setting == Setting.MQTT_ALLOW_ANONYMOUS) {
      return "<true|false>";
    }
    String key = setting.fileKey();
    int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('-'));
    return "<" + key.substring(cut + 1).toLowerCase(Locale.ROOT) + ">";
  }
}
