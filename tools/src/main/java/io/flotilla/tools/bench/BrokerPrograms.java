package io.flotilla.tools.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every broker comparison shares (picocli mixin): where the broker programs are, how much heap the
 * JVM ones get, how long they may take to start, how quiet the machine must be before a measurement, and
 * whether their files are kept.
 */
final class BrokerPrograms {
  @Option(names = "--broker-heap", defaultValue = "2g", paramLabel = "SIZE",
      description = "Maximum heap (-Xmx) of the JVM brokers, Flotilla and HiveMQ (default: ${DEFAULT-VALUE}).")
  String brokerHeap;

  @Option(names = "--start-timeout", defaultValue = "60", paramLabel = "SECONDS",
      description = "How long a broker may take to accept connections (default: ${DEFAULT-VALUE}).")
  int startTimeoutSeconds;

  @Option(names = "--quiet-wait", defaultValue = "30", paramLabel = "SECONDS",
      description = "Before each measurement, wait up to this long for other processes to use less than a quarter"
          + " of a core; 0 does not wait (default: ${DEFAULT-VALUE}).")
  int quietWaitSeconds;

  @Option(names = "--mosquitto", defaultValue = "/usr/sbin/mosquitto", paramLabel = "PATH",
      description = "The Mosquitto broker program (default: ${DEFAULT-VALUE}).")
  Path mosquitto;

  @Option(names = "--flotilla-jar", paramLabel = "PATH",
      description = "Flotilla's jar (default: cli/target/flotilla.jar of this source tree).")
  Path flotillaJar;

  @Option(names = "--hivemq-peer", paramLabel = "PATH",
      description = "The HiveMQ peer's jar (default: bench-peers/target/hivemq-peer.jar of this source tree, built"
          + " on first use).")
  Path hiveMqPeer;

  @Option(names = "--keep-files", description = "Keep the brokers' configuration, data and logs (the folder is"
      + " printed) instead of deleting them.")
  boolean keepFiles;

  /** Starts Flotilla as {@code program} when given (tests run their own class path), else from its jar. */
  FlotillaLauncher flotillaLauncher(Optional<FlotillaProgram> program) {
    Duration startTimeout = Duration.ofSeconds(startTimeoutSeconds);
    return program.map(p -> new FlotillaLauncher(p, brokerHeap, startTimeout))
        .orElseGet(() -> new FlotillaLauncher(Optional.ofNullable(flotillaJar), brokerHeap, startTimeout));
  }

  /** The first problem with these values, if any, for a usage error. */
  String problem() {
    if (!brokerHeap.matches("\\d+[kKmMgG]?")) {
      return "--broker-heap must be a size such as 2g or 512m, was " + brokerHeap;
    }
    if (startTimeoutSeconds < 1) {
      return "--start-timeout must be at least 1, was " + startTimeoutSeconds;
    }
    if (quietWaitSeconds < 0) {
      return "--quiet-wait must not be negative, was " + quietWaitSeconds;
    }
    return null;
  }
}
