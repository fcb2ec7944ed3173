package io.flotilla.tools.bench;

import io.flotilla.server.FlotillaServer;
import io.flotilla.server.config.ConfigLoader;
import io.flotilla.server.config.LogLevels;
import io.flotilla.server.config.ServerConfig;
import io.flotilla.server.config.Setting;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code flotilla server} for tests: the server of this module's class path, built in the same
 * reactor, started in a JVM of its own from the same flags ({@code server --data-dir … --http-port
 * …}) and environment as the real command, and closed when that JVM is told to stop.
 */
public final class ClassPathServer {
  private ClassPathServer() {}

  public static void main(String... args) throws InterruptedException {
    if (args.length == 0 || !args[0].equals("server") || args.length % 2 != 1) {
      throw new IllegalArgumentException("usage: server [--<setting flag> <value>]…, was " + Arrays.toString(args));
    }
    Map<Setting, String> flags = new EnumMap<>(Setting.class);
    for (int i = 1; i < args.length; i += 2) {
      String flag = args[i];
      Setting setting = Arrays.stream(Setting.values()).filter(s -> s.flag().equals(flag)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no setting has the flag " + flag));
      flags.put(setting, args[i + 1]);
    }
    ServerConfig config = ConfigLoader.load(flags, System.getenv(), Optional.empty());
    LogLevels.apply(config.logLevel());
    FlotillaServer server = FlotillaServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "flotilla-shutdown"));
    server.awaitShutdown();
  }
}
