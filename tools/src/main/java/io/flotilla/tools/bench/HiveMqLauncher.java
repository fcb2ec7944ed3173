package io.flotilla.tools.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Starts HiveMQ Community Edition, embedded from its Maven artifact, in a JVM of its own: the
 * {@code bench-peers} module's {@code HiveMqPeer} ({@code bench-peers/target/hivemq-peer.jar}).
 * HiveMQ brings Netty 4.1, which cannot share a class path with Flotilla's Netty 4.2. When the jar
 * is missing from a source tree, it is built once with the Maven wrapper. The peer keeps HiveMQ's
 * defaults (1,000 queued messages per client) but for the persistence mode, which the benchmark
 * chooses; it allows anonymous clients and sends no usage statistics.
 */
final class HiveMqLauncher implements BrokerLauncher {
  /** What the peer logs when ready, followed by the version; the same text as {@code HiveMqPeer.READY}. */
  private static final Pattern READY = Pattern.compile("HiveMQ peer ready: HiveMQ CE (\\S+)");
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

  private final Optional<Path> configuredJar;
  private final Optional<TlsFiles> tls;
  private final String maxHeap;
  private final Duration startTimeout;
  private final String persistence;
  private final PrintWriter progress;

  /**
   * @param configuredJar the peer jar when given on the command line; else it is found in the source tree
   * @param persistence HiveMQ's persistence mode: {@code file} (its default) or {@code in-memory}
   */
  HiveMqLauncher(Optional<Path> configuredJar, Optional<TlsFiles> tls, String maxHeap, String persistence,
      Duration startTimeout, PrintWriter progress) {
    this.persistence = persistence;
    this.configuredJar = configuredJar;
    this.progress = progress;
    this.tls = tls;
    this.maxHeap = maxHeap;
    this.startTimeout = startTimeout;
  }

  @Override
  public BrokerKind kind() {
    return BrokerKind.HIVEMQ;
  }

  @Override
  public RunningBroker start(Path folder) throws BrokerUnavailableException {
    Path jar = peerJar(folder);
    int port = FreePorts.pick();
    Optional<Integer> tlsPort = tls.map(t -> FreePorts.pick());
    List<String> arguments = new ArrayList<>(List.of(folder.resolve("hivemq").toString(), "127.0.0.1",
        Integer.toString(port)));
    if (tlsPort.isPresent() && tls.isPresent()) {
      arguments.addAll(List.of(Integer.toString(tlsPort.get()), tls.get().keystore().toString(),
          tls.get().keystorePassword()));
    }
    ChildProcess process = ChildProcess.start("HiveMQ CE",
        BrokerJvm.command(maxHeap, List.of("-Dflotilla.peer.persistence=" + persistence), jar, arguments), Map.of(),
        folder.resolve("hivemq.log"));
    try {
      process.awaitPort(port, startTimeout);
      if (tlsPort.isPresent()) {
        process.awaitPort(tlsPort.get(), startTimeout);
      }
      String version = process.awaitLogLine(READY, startTimeout).orElse("unknown version");
      return new RunningBroker(kind(), version, process, port, tlsPort,
          tls.isPresent() ? "" : "no certificate could be made (openssl)");
    } catch (BrokerUnavailableException | RuntimeException e) {
      process.close();
      throw e;
    }
  }

  private Path peerJar(Path folder) throws BrokerUnavailableException {
    if (configuredJar.isPresent()) {
      if (!Files.isRegularFile(configuredJar.get())) {
        throw new BrokerUnavailableException("--hivemq-peer " + configuredJar.get() + " does not exist");
      }
      return configuredJar.get();
    }
    Path root = ProjectFiles.root().orElseThrow(() -> new BrokerUnavailableException("the HiveMQ peer is not"
        + " found: run from a Flotilla source tree, or set --hivemq-peer to bench-peers/target/hivemq-peer.jar"));
    Path jar = ProjectFiles.hiveMqPeerJar(root);
    if (!Files.isRegularFile(jar)) {
      progress.println("HiveMQ CE: building the peer (bench-peers) once, with the Maven wrapper");
      progress.flush();
      build(root, folder.resolve("hivemq-peer-build.log"));
    }
    return jar;
  }

  /** Builds the bench-peers module with the Maven wrapper, on the JDK this benchmark runs on. */
  private static void build(Path root, Path log) throws BrokerUnavailableException {
    ProcessBuilder maven = new ProcessBuilder(root.resolve("mvnw").toString(), "-q", "-B", "-pl", "bench-peers",
        "package", "-Dmaven.test.skip=true").directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    maven.environment().put("JAVA_HOME", System.getProperty("java.home"));
    try {
      Process process = maven.start();
      if (!process.waitFor(BUILD_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new BrokerUnavailableException("building the HiveMQ peer took over " + BUILD_TIMEOUT.toMinutes()
            + " minutes");
      }
      if (process.exitValue() != 0) {
        throw new BrokerUnavailableException("building the HiveMQ peer failed (./mvnw -pl bench-peers package): "
            + Files.readString(log).strip().lines().reduce((a, b) -> b).orElse(""));
      }
    } catch (IOException e) {
      throw new BrokerUnavailableException("cannot build the HiveMQ peer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerUnavailableException("interrupted while building the HiveMQ peer", e);
    }
  }
}
