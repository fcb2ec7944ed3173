package io.flotilla.tools.bench;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla bench identity}: what device identities cost the server. Devices make a P-256 key and a CSR,
 * the tenant CA issues their certificates through the REST API (timed), and then devices connect over mutual TLS
 * again and again: full handshakes with their certificate, CONNECT, CONNACK, DISCONNECT. Mosquitto, configured to
 * require a client certificate of the same tenant CA, takes the same connections as the reference.
 */
@Command(
    name = "identity",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Measures certificate issuance from CSRs (REST, one at a time) and mutual-TLS connects/s with device"
            + " certificates of the tenant CA, against Flotilla and, with the same certificates, Mosquitto requiring"
            + " client certificates. Prints a Markdown table."})
public final class IdentityBenchmark implements Callable<Integer> {
  private static final String PROFILE = "bench-identity";

  @Spec
  CommandSpec spec;

  @Mixin
  BrokerPrograms programs;

  @Option(names = "--devices", defaultValue = "200",
      description = "Devices with a certificate each; connections go round them (default: ${DEFAULT-VALUE}).")
  int devices;

  @Option(names = "--connects", defaultValue = "2000",
      description = "Mutual-TLS connect cycles measured per broker (default: ${DEFAULT-VALUE}).")
  int connects;

  @Option(names = "--connect-concurrency", defaultValue = "16",
      description = "Connect cycles in progress at once, at most half of --devices (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--claims", defaultValue = "500",
      description = "Devices provisioned by claim, --connect-concurrency at a time; 0 skips it (default:"
          + " ${DEFAULT-VALUE}).")
  int claims;

  @Option(names = "--warmup", defaultValue = "5", paramLabel = "SECONDS",
      description = "Seconds of connect cycles before measuring, not counted (default: ${DEFAULT-VALUE}).")
  int warmUpSeconds;

  @Option(names = "--peers", split = ",", defaultValue = "mosquitto", paramLabel = "PEER",
      description = "Reference brokers: mosquitto, or none (default: ${DEFAULT-VALUE}).")
  List<String> peers = new ArrayList<>();

  @Option(names = "--client-threads", defaultValue = "1",
      description = "Event loop threads of the load generator (default: ${DEFAULT-VALUE}).")
  int clientThreads;

  @Option(names = "--phase-timeout", defaultValue = "300", paramLabel = "SECONDS",
      description = "How long one batch of connections may take (default: ${DEFAULT-VALUE}).")
  int phaseTimeoutSeconds;

  /** What runs Flotilla instead of its jar: tests run the server of their own class path. */
  private Optional<FlotillaProgram> flotillaProgram = Optional.empty();

  /** Runs Flotilla as {@code program} instead of from its jar. */
  IdentityBenchmark runningFlotillaAs(FlotillaProgram program) {
    this.flotillaProgram = Optional.of(program);
    return this;
  }

  /** Runs the benchmark from a class path, without the {@code flotilla} launcher; the exit code is not passed on. */
  public static void main(String... args) {
    new CommandLine(new IdentityBenchmark()).execute(args);
  }

  /** One broker's connect figures. */
  private record ConnectFigures(String broker, String version, ConnectRateRun.Result result) {
  }

  @Override
  public Integer call() throws IOException {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Duration startTimeout = Duration.ofSeconds(programs.startTimeoutSeconds);
    List<ConnectFigures> figures = new ArrayList<>();
    try (BenchWorkFolder work = BenchWorkFolder.create("flotilla-bench-identity", programs.keepFiles, err);
        MqttLoadClient client = new MqttLoadClient(clientThreads, SourceAddresses.loopback(1),
            Duration.ofSeconds(15))) {
      ConnectRateRun connections = new ConnectRateRun(client, "unused-");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < devices; i++) {
        ids.add(String.format(Locale.ROOT, "bench-id-%05d", i));
      }
      err.println("Making " + devices + " device keys and CSRs (P-256)");
      err.flush();
      List<DeviceIdentities.Request> requests = ids.stream().map(DeviceIdentities::request).toList();
      Path clientCa = work.path().resolve("tenant-ca.pem");
      List<SslContext> contexts = new ArrayList<>();
      double issuedPerSecond;
      Path serverTls;
      Optional<ConnectRateRun.Result> claimed = Optional.empty();
      FlotillaLauncher launcher = programs.flotillaLauncher(flotillaProgram);
      try (RunningFlotilla server = launcher.startServer(Files.createDirectories(work.path().resolve("flotilla")),
          FlotillaOptions.devicesOnly(Map.of(), "warn"))) {
        serverTls = server.dataDir().resolve("tls");
        FlotillaAdminApi api = new FlotillaAdminApi(server.httpBase(), server.adminToken());
        api.createProfile(PROFILE, "{\"type\":\"object\"}");
        api.importDevices(ids, PROFILE, Map.of());
        Files.writeString(clientCa, api.caCertificate());
        err.println("Issuing " + devices + " certificates through the REST API");
        err.flush();
        long start = System.nanoTime();
        List<String> certificates = new ArrayList<>();
        for (DeviceIdentities.Request request : requests) {
          certificates.add(api.issueCertificate(request.deviceId(), request.csrPem()));
        }
        issuedPerSecond = devices / ((System.nanoTime() - start) / 1e9);
        for (int i = 0; i < devices; i++) {
          contexts.add(DeviceIdentities.clientContext(requests.get(i), certificates.get(i)));
        }
        InetSocketAddress mqtts = server.broker().tlsAddress().orElseThrow(() -> new IllegalStateException(
            "Flotilla has no MQTTS listener: " + server.broker().tlsMissing()));
        figures.add(new ConnectFigures("Flotilla", server.broker().version(),
            measure(connections, mqtts, ids, contexts, server.broker().pid(), client, err)));
        if (claims > 0) {
          claimed = Optional.of(provisionByClaim(api, connections, mqtts, server.broker().pid(), client, err));
        }
      }
      if (peers.contains("mosquitto")) {
        // The certificate and key Flotilla presented, so that both handshakes cost the same on the server side.
        Optional<TlsFiles> tls = Optional.of(TlsFiles.of(Files.createDirectories(work.path().resolve("tls")),
            serverTls.resolve("server.pem"), serverTls.resolve("server.key")));
        try (RunningBroker mosquitto = new MosquittoLauncher(programs.mosquitto, tls, Optional.of(clientCa),
            startTimeout).start(Files.createDirectories(work.path().resolve("mosquitto")))) {
          InetSocketAddress mqtts = mosquitto.tlsAddress().orElseThrow(() -> new IllegalStateException(
              "Mosquitto has no TLS listener: " + mosquitto.tlsMissing()));
          figures.add(new ConnectFigures("Mosquitto", mosquitto.version(),
              measure(connections, mqtts, ids, contexts, mosquitto.pid(), client, err)));
        } catch (BrokerUnavailableException e) {
          err.println("Mosquitto is unavailable: " + e.getMessage());
        }
      }
      print(out, issuedPerSecond, figures, claimed);
      return 0;
    } catch (BrokerUnavailableException e) {
      err.println("Flotilla did not start: " + e.getMessage());
      return 1;
    }
  }

  private ConnectRateRun.Result measure(ConnectRateRun connections, InetSocketAddress broker, List<String> ids,
      List<SslContext> contexts, long brokerPid, MqttLoadClient client, PrintWriter err) {
    ConnectRateRun.Dialer dialer = n -> client.connect(broker, contexts.get(n % devices), ids.get(n % devices), 0,
        MqttSessionListener.IGNORE);
    QuietWait.await(brokerPid, Duration.ofSeconds(programs.quietWaitSeconds), err);
    err.println("Warming up " + warmUpSeconds + " s, then " + connects + " mutual-TLS connects against " + broker);
    err.flush();
    connections.warmUp(dialer, Duration.ofSeconds(warmUpSeconds), concurrency);
    return connections.run(dialer, connects, concurrency, Duration.ofSeconds(phaseTimeoutSeconds));
  }

  /**
   * Devices provisioning themselves with the batch's claim certificate: each a fresh TLS connection, SUBSCRIBE to its
   * responses, {@code $provisioning/register} with its own CSR, the certificate issued and the device registered,
   * the answer received, DISCONNECT. The keys and CSRs are made before the clock starts.
   */
  private ConnectRateRun.Result provisionByClaim(FlotillaAdminApi api, ConnectRateRun connections,
      InetSocketAddress mqtts, long serverPid, MqttLoadClient client, PrintWriter err) {
    String group = api.createClaimEnrollmentGroup("bench-claims", PROFILE, "bench-claimed-", 6_000);
    DeviceIdentities.Request claimKey = DeviceIdentities.request("bench-claim");
    SslContext claim = DeviceIdentities.clientContext(claimKey, api.issueClaimCertificate(group, claimKey.csrPem()));
    progress(err, "Making " + claims + " device keys and CSRs for provisioning by claim");
    List<DeviceIdentities.Request> requests = new ArrayList<>();
    for (int i = 0; i < claims; i++) {
      requests.add(DeviceIdentities.request(String.format(Locale.ROOT, "bench-claimed-%05d", i)));
    }
    ConnectRateRun.Dialer dialer = n -> {
      DeviceIdentities.Request request = requests.get(n);
      ClaimClient claimer = new ClaimClient("claimer-" + n, request.deviceId(), request.csrPem());
      return client.connect(mqtts, claim, "claimer-" + n, 0, claimer).thenCompose(channel -> {
        claimer.start(channel);
        return claimer.provisioned();
      });
    };
    QuietWait.await(serverPid, Duration.ofSeconds(programs.quietWaitSeconds), err);
    progress(err, "Provisioning " + claims + " devices by claim, " + concurrency + " at a time");
    return connections.run(dialer, claims, concurrency, Duration.ofSeconds(phaseTimeoutSeconds));
  }

  private static void progress(PrintWriter err, String line) {
    err.println(line);
    err.flush();
  }

  private void print(PrintWriter out, double issuedPerSecond, List<ConnectFigures> figures,
      Optional<ConnectRateRun.Result> claimed) {
    out.println("Machine: " + MachineInfo.current().describe());
    out.println(String.format(Locale.ROOT, "Load: %d devices with P-256 keys and certificates of the tenant CA; %,d"
        + " mutual-TLS connect cycles (full handshake with the client certificate, MQTT 3.1.1 CONNECT, CONNACK,"
        + " DISCONNECT), %d at a time, after %d s of warm-up; one generator process (Netty NIO, %d event loop"
        + " thread%s). Both brokers present the same P-256 server certificate (Flotilla's own), and Mosquitto"
        + " requires client certificates of the tenant CA (require_certificate, use_identity_as_username).", devices, connects, concurrency, warmUpSeconds, clientThreads, clientThreads == 1 ? "" : "s"));
    out.println();
    out.println(String.format(Locale.ROOT, "Certificate issuance from a CSR (REST, one request at a time): %.0f/s",
        issuedPerSecond));
    out.println();
    out.println("| Broker | mutual-TLS connects/s | connect p50 | connect p99 | failed |");
    out.println("|---|---:|---:|---:|---:|");
    for (ConnectFigures f : figures) {
      out.println(String.format(Locale.ROOT, "| %s %s | %,.0f | %.1f ms | %.1f ms | %d |", f.broker(), f.version(),
          f.result().perSecond(), f.result().latencies().percentileNanos(50) / 1e6,
          f.result().latencies().percentileNanos(99) / 1e6, f.result().failed()));
    }
    if (figures.size() == 2) {
      out.println();
      out.println(String.format(Locale.ROOT, "Flotilla/Mosquitto: %.2f× the connects/s.",
          figures.get(0).result().perSecond() / figures.get(1).result().perSecond()));
    }
    claimed.ifPresent(c -> {
      out.println();
      out.println(String.format(Locale.ROOT, "Provisioning by claim, end to end (TLS with the claim certificate,"
          + " register with a CSR, certificate issued, device registered, answer): %,.0f devices/s, p50 %.1f ms, p99"
          + " %.1f ms, %d failed, %d at a time.", c.perSecond(), c.latencies().percentileNanos(50) / 1e6,
          c.latencies().percentileNanos(99) / 1e6, c.failed(), concurrency));
    });
    out.flush();
  }

  private void validate() {
    String problem = programs.problem();
    require(problem == null, problem);
    require(devices >= 2 && devices <= 100_000, "--devices must be between 2 and 100000, was " + devices);
    require(connects >= 1, "--connects must be at least 1, was " + connects);
    require(claims >= 0 && claims <= 6_000, "--claims must be between 0 and 6000 (an enrollment group's rate"
        + " limit per minute), was " + claims);
    require(concurrency >= 1 && concurrency * 2 <= devices,
        "--connect-concurrency must be between 1 and half of --devices (" + devices / 2 + "), was " + concurrency);
    require(warmUpSeconds >= 0, "--warmup must not be negative, was " + warmUpSeconds);
    require(peers.stream().allMatch(p -> p.equals("mosquitto") || p.equals("none")),
        "--peers must be mosquitto or none, was " + peers);
    require(clientThreads >= 1, "--client-threads must be at least 1, was " + clientThreads);
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}
