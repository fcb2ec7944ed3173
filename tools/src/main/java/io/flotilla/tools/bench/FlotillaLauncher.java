package io.flotilla.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;

/**
 * Starts Flotilla as an operator would, in a process of its own: {@code java -jar
 * cli/target/flotilla.jar server} on a fresh data folder, bound to 127.0.0.1 with free HTTP, MQTT
 * and MQTTS ports, anonymous MQTT clients allowed ({@code FLOTILLA_MQTT_ALLOW_ANONYMOUS}),
 * a random admin token (so that none is generated and printed), and only warnings logged. Anonymous clients publish and subscribe on ordinary topics of the
 * default tenant.
 */
final class FlotillaLauncher implements BrokerLauncher {
  /** How long the MQTT listener may lag behind the HTTP one before it counts as missing. */
  private static final Duration MQTT_GRACE = Duration.ofSeconds(10);
  /** How long the MQTTS listener may lag behind the plain one before it counts as missing. */
  private static final Duration TLS_GRACE = Duration.ofSeconds(5);

  private final Optional<Path> configuredJar;
  private final String maxHeap;
  private final Duration startTimeout;

  FlotillaLauncher(Optional<Path> configuredJar, String maxHeap, Duration startTimeout) {
    this.configuredJar = configuredJar;
    this.maxHeap = maxHeap;
    this.startTimeout = startTimeout;
  }

  @Override
  public BrokerKind kind() {
    return BrokerKind.FLOTILLA;
  }

  @Override
  public RunningBroker start(Path folder) throws BrokerUnavailableException {
    Path jar = jar();
    int httpPort = FreePorts.pick();
    int port = FreePorts.pick();
    int tlsPort = FreePorts.pick();
    List<String> arguments = List.of("server", "--data-dir", folder.resolve("data").toString(),
        "--bind-address", "127.0.0.1", "--http-port", Integer.toString(httpPort), "--mqtt-port", Integer.toString(port),
        "--mqtts-port", Integer.toString(tlsPort), "--log-level", "warn",
        // The peers have no per-connection rate limits; the comparison is of raw broker throughput.
        "--mqtt-max-publish-rate", "0", "--mqtt-max-publish-bytes-rate", "0");
    // An admin token of our own, so that the server does not print a generated one into its log.
    Map<String, String> environment = Map.of("FLOTILLA_MQTT_ALLOW_ANONYMOUS", "true",
        "FLOTILLA_ADMIN_TOKEN", "bench-" + HexFormat.of().formatHex(randomBytes()));
    ChildProcess process = ChildProcess.start("Flotilla", BrokerJvm.command(maxHeap, List.of(), jar, arguments), environment,
        folder.resolve("flotilla.log"));
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
      return new RunningBroker(kind(), version(jar), process, port, Optional.of(tlsPort), "");
    } catch (BrokerUnavailableException e) {
      return new RunningBroker(kind(), version(jar), process, port, Optional.empty(), e.getMessage());
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

  /** The version in the jar's manifest, as the build wrote it. */
  private static String version(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      String version = file.getManifest() == null ? null
          : file.getManifest().getMainAttributes().getValue("Implementation-Version");
      return version == null ? "unknown version" : version;
    } catch (IOException e) {
      return "unknown version";
    }
  }
}
