package io.flotilla.tools.bench;

import java.util.List;
import java.util.Map;

/**
 * How {@link FlotillaLauncher} starts the server beyond what every benchmark run shares (its own
 * data folder and ports, rate limits off, warnings only).
 *
 * @param allowAnonymous whether MQTT clients may connect without credentials, as the peers let them;
 *     off, clients connect as devices do, with their id and device token
 * @param environment more {@code FLOTILLA_*} settings, such as {@code FLOTILLA_TS_URL}: the environment
 *     keeps them out of the machine's process list, where flags would show
 * @param arguments more flags of {@code flotilla server}
 * @param logLevel the server's {@code --log-level}: {@code warn} keeps the log to what went wrong
 */
record FlotillaOptions(boolean allowAnonymous, Map<String, String> environment, List<String> arguments,
    String logLevel) {
  /** What {@code bench mqtt} compares against the peers: anonymous clients, nothing else. */
  static final FlotillaOptions ANONYMOUS = new FlotillaOptions(true, Map.of(), List.of(), "warn");

  FlotillaOptions {
    environment = Map.copyOf(environment);
    arguments = List.copyOf(arguments);
    if (environment.containsKey("FLOTILLA_ADMIN_TOKEN")) {
      throw new IllegalArgumentException("the launcher sets FLOTILLA_ADMIN_TOKEN itself");
    }
  }

  /** Devices must log in; these settings go into the server's environment. */
  static FlotillaOptions devicesOnly(Map<String, String> environment, String logLevel) {
    return new FlotillaOptions(false, environment, List.of(), logLevel);
  }

  @Override
  public String toString() {
    // A setting's value may hold a password (a database URL): show the names only.
    return "FlotillaOptions[allowAnonymous=" + allowAnonymous + ", environment=" + environment.keySet().stream()
        .sorted().toList() + ", arguments=" + arguments.size() + ", logLevel="
        + logLevel + "]";
  }
}
