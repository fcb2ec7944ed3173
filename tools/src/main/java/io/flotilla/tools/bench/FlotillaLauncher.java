package io.flotilla.tools.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts Flotilla as an operator would, in a process of its own: {@code java -jar
 * cli/target/flotilla.jar server} on a fresh data folder, bound to 127.0.0.1 with free HTTP, MQTT
 * and MQTTS ports, per-connection publish rate limits off (the peers have none), a random admin
 * token (so that none is generated and printed), and only warnings logged. As a {@link
 * BrokerLauncher} it lets anonymous MQTT clients in ({@code FLOTILLA_MQTT_ALLOW_ANONYMOUS}), who
 * publish and subscribe on ordinary topics of the default tenant; {@link #startServer} takes
 * {@link FlotillaOptions} instead, for benchmarks that connect real devices and choose the stores.
 */
final class FlotillaLauncher implements BrokerLauncher {
  /** How long the MQTT listener may lag behind the HTTP one before it counts as missing. */
  private static final Duration MQTT_GRACE = Duration.ofSeconds(10);
  /** How long the MQTTS listener may lag behind the plain one before it counts as missing. */
  private static final Duration TLS_GRACE = Duration.ofSeconds(5);

  private final Optional<Path> configuredJar;
  private final Optional<FlotillaProgram> configuredProgram;
  private final String maxHeap;
  private final Duration startTimeout;

  /** @param configuredJar the jar when given on the command line; else it is found in the source tree */
  FlotillaLauncher(Optional<Path> configuredJar, String maxHeap, Duration startTimeout) {
    this(configuredJar, Optional.empty(), maxHeap, startTimeout);
  }

  /** Runs {@code program} instead of a jar. */
  FlotillaLauncher(FlotillaProgram program, String maxHeap, Duration startTimeout) {
    this(Optional.empty(), Optional.of(program), maxHeap, startTimeout);
  }

  private FlotillaLauncher(Optional<Path> configuredJar, Optional<FlotillaProgram> configuredProgram, String maxHeap,
      Duration startTimeout) {
    this.configuredJar = configuredJar;
    this.configuredProgram = configuredProgram;
    this.maxHeap = maxHeap;
    this.startTimeout = startTimeout;
  }

  @Override
  public BrokerKind kind() {
    return BrokerKind.FLOTILLA;
  }

  @Override
  public RunningBroker start(Path folder) throws BrokerUnavailableException {
    return startServer(folder, FlotillaOptions.ANONYMOUS).broker();
  }

  /**
   * Starts a fresh server whose data, log and files go into {@code folder}, and returns once it
   * accepts HTTP and MQTT connections.
   *
   * @throws BrokerUnavailableException if it does not start, or does not listen in time; the
   *     message says which, with the last lines of its log
   */
  RunningFlotilla startServer(Path folder, FlotillaOptions options) throws BrokerUnavailableException {
    FlotillaProgram program = configuredProgram.isPresent() ? configuredProgram.get() : FlotillaProgram.jar(jar());
    Path dataDir = folder.resolve("data");
    int httpPort = FreePorts.pick();
    int port = FreePorts.pick();
    int tlsPort = FreePorts.pick();
    List<String> arguments = new ArrayList<>(List.of("server", "--data-dir", dataDir.toString(),
        "--bind-address", "127.0.0.1", "--http-port", Integer.toString(httpPort), "--mqtt-port", Integer.toString(port),
        "--mqtts-port", Integer.toString(tlsPort), "--https-port", "0", "--log-level", options.logLevel(),
        // The peers have no per-connection rate limits; the comparison is of raw broker throughput.
        "--mqtt-max-publish-rate", "0", "--mqtt-max-publish-bytes-rate", "0"));
    arguments.addAll(options.arguments());
    // An admin token of our own, so that the server does not print a generated one into its log.
    String adminToken = "bench-" + HexFormat.of().formatHex(randomBytes());
    Map<String, String> environment = new HashMap<>(options.environment());
    environment.put("FLOTILLA_MQTT_ALLOW_ANONYMOUS", Boolean.toString(options.allowAnonymous()));
    environment.put("FLOTILLA_ADMIN_TOKEN", adminToken);
    ChildProcess process = ChildProcess.start("Flotilla", BrokerJvm.command(maxHeap, List.of(),
        program.javaArguments(), arguments), environment, folder.resolve("flotilla.log"));
    try {
      process.awaitPort(httpPort, startTimeout);
    } catch (BrokerUnavailableException e) {
      process.close();
      throw e;
    }
    try {
      process.awaitPort(port, MQTT_GRACE);
    } catch (BrokerUnavailableException e) {
      process.close();
      throw new BrokerUnavailableException("the server is up (HTTP on port " + httpPort + ") but nothing accepted"
          + " MQTT connections on port " + port + " within " + MQTT_GRACE.toSeconds() + " s: is the MQTT broker"
          + " wired into flotilla server?" + process.lastWords(), e);
    }
    try {
      process.awaitPort(tlsPort, TLS_GRACE);
      return new RunningFlotilla(new RunningBroker(kind(), program.version(), process, port, Optional.of(tlsPort), ""),
          httpPort, adminToken, dataDir);
    } catch (BrokerUnavailableException e) {
      return new RunningFlotilla(new RunningBroker(kind(), program.version(), process, port, Optional.empty(),
          e.getMessage()), httpPort, adminToken, dataDir);
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private Path jar() throws BrokerUnavailableException {
    Path jar = configuredJar.or(() -> ProjectFiles.root().map(ProjectFiles::flotillaJar))
        .orElseThrow(() -> new BrokerUnavailableException("flotilla.jar is not found: run from a Flotilla source"
            + " tree, or set --flotilla-jar"));
    if (!Files.isRegularFile(jar)) {
      throw new BrokerUnavailableException(jar + " does not exist: build it with ./flotilla build");
    }
    return jar;
  }
}
