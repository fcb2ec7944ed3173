package io.flotilla.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts Eclipse Mosquitto (Debian's package, {@code /usr/sbin/mosquitto}) with a configuration
 * written for the run: a plain and, when there is a certificate, a TLS listener on 127.0.0.1,
 * anonymous clients, no connection limit, no persistence, Nagle's algorithm off (as Netty-based
 * brokers have it), and only errors and warnings logged.
 *
 * <p>One default changes: the limit of 20 QoS 1 messages in flight per client is lifted. Debian's
 * 2.0.11 loses count of that quota under load and then holds a subscriber's messages back for good
 * (fixed upstream in 2.0.13); with the limit, the benchmark saw whole windows of QoS 1 messages
 * never arrive and 1 s stalls. The load generator bounds what is in flight anyway. Everything else
 * keeps Mosquitto's defaults, among them 1,000 queued messages per client.
 */
final class MosquittoLauncher implements BrokerLauncher {
  private static final Pattern VERSION = Pattern.compile("mosquitto version (\\S+)");

  private final Path executable;
  private final Optional<TlsFiles> tls;
  private final Optional<Path> clientCa;
  private final Duration startTimeout;

  MosquittoLauncher(Path executable, Optional<TlsFiles> tls, Duration startTimeout) {
    this(executable, tls, Optional.empty(), startTimeout);
  }

  /**
   * @param clientCa when present, the TLS listener requires a client certificate this CA (a PEM file) signed and
   *     takes the certificate's CN as the user name, as a fleet of devices with certificates would use it
   */
  MosquittoLauncher(Path executable, Optional<TlsFiles> tls, Optional<Path> clientCa, Duration startTimeout) {
    this.executable = executable;
    this.tls = tls;
    this.clientCa = clientCa;
    this.startTimeout = startTimeout;
  }

  @Override
  public BrokerKind kind() {
    return BrokerKind.MOSQUITTO;
  }

  @Override
  public RunningBroker start(Path folder) throws BrokerUnavailableException {
    if (!Files.isExecutable(executable)) {
      throw new BrokerUnavailableException(executable + " is not installed (apt-get install mosquitto, or set"
          + " --mosquitto)");
    }
    int port = FreePorts.pick();
    Optional<Integer> tlsPort = tls.map(t -> FreePorts.pick());
    Path config = folder.resolve("mosquitto.conf");
    try {
      Files.writeString(config, configuration(port, tlsPort, tls, clientCa));
    } catch (IOException e) {
      throw new BrokerUnavailableException("cannot write " + config + ": " + e.getMessage(), e);
    }
    ChildProcess process = ChildProcess.start("mosquitto", List.of(executable.toString(), "-c", config.toString()),
        Map.of(), folder.resolve("mosquitto.log"));
    try {
      process.awaitPort(port, startTimeout);
      if (tlsPort.isPresent()) {
        process.awaitPort(tlsPort.get(), startTimeout);
      }
    } catch (BrokerUnavailableException e) {
      process.close();
      throw e;
    }
    return new RunningBroker(kind(), version(), process, port, tlsPort,
        tls.isPresent() ? "" : "no certificate could be made (openssl)");
  }

  /** The configuration file's text. */
  static String configuration(int port, Optional<Integer> tlsPort, Optional<TlsFiles> tls) {
    return configuration(port, tlsPort, tls, Optional.empty());
  }

  static String configuration(int port, Optional<Integer> tlsPort, Optional<TlsFiles> tls, Optional<Path> clientCa) {
    StringBuilder text = new StringBuilder()
        .append("# Written by flotilla bench mqtt for one run.\n")
        // Started as root, Mosquitto would switch to the user "mosquitto", which cannot read this run's files.
        .append("user ").append(System.getProperty("user.name")).append('\n')
        .append("per_listener_settings false\n")
        .append("allow_anonymous true\n")
        .append("persistence false\n")
        .append("connection_messages false\n")
        .append("log_dest stderr\n")
        .append("log_type error\n")
        .append("log_type warning\n")
        .append("set_tcp_nodelay true\n")
        // 2.0.11 loses count of its in-flight quota and stalls QoS 1 deliveries (fixed in 2.0.13).
        .append("max_inflight_messages 0\n")
        .append("listener ").append(port).append(" 127.0.0.1\n")
        .append("max_connections -1\n");
    if (tlsPort.isPresent() && tls.isPresent()) {
      text.append("listener ").append(tlsPort.get()).append(" 127.0.0.1\n")
          .append("max_connections -1\n")
          .append("certfile ").append(tls.get().certificate()).append('\n')
          .append("keyfile ").append(tls.get().privateKey()).append('\n');
      clientCa.ifPresent(ca -> text.append("cafile ").append(ca).append('\n')
          .append("require_certificate true\n")
          .append("use_identity_as_username true\n"));
    }
    return text.toString();
  }

  /** What {@code mosquitto -h} says its version is. */
  private String version() {
    try {
      Process help = new ProcessBuilder(executable.toString(), "-h").redirectErrorStream(true).start();
      String text = new String(help.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      help.waitFor(10, TimeUnit.SECONDS);
      Matcher m = VERSION.matcher(text);
      return m.find() ? m.group(1) : "unknown version";
    } catch (IOException e) {
      return "unknown version";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown version";
    }
  }
}
