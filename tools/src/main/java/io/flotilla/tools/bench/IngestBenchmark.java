package io.flotilla.tools.bench;

import io.flotilla.store.sql.TemporaryPostgresDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla bench ingest}: telemetry ingestion end to end on this machine. Devices publish
 * readings over MQTT QoS 1 to Flotilla, which checks them against their profile's schema and
 * acknowledges each once it is durable in the telemetry store, on DuckDB and on PostgreSQL; the
 * same load against Mosquitto and HiveMQ CE, which store nothing, is the reference. Progress goes
 * to stderr, the results as a Markdown table with Flotilla/peer ratios to stdout. The run fails
 * when a store holds fewer points than were acknowledged.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Measures telemetry ingestion: N devices publish " + TelemetryPayload.VALUES + "-value JSON readings of "
            + "about 120 bytes over MQTT QoS 1, each acknowledged once validated and durable in the store. Reports"
            + " sustained messages/s and data points/s with publish→PUBACK p50/p99 at full load and at half that"
            + " rate, server heap and disk per stored point, for DuckDB and PostgreSQL; and the same load against"
            + " Mosquitto and HiveMQ CE (no storage) as the reference. Prints a Markdown table.",
        "Each target runs in a process of its own on free ports of 127.0.0.1, on a fresh data folder (and a fresh"
            + " PostgreSQL database, dropped afterwards). Flotilla's devices log in with their own tokens. Exits"
            + " with 1 if a store holds fewer points than were acknowledged, or Flotilla could not be measured."})
public final class IngestBenchmark implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  BrokerPrograms programs;

  @Option(names = "--devices", defaultValue = "100",
      description = "Devices, each one MQTT connection publishing to devices/{id}/telemetry"
          + " (default: ${DEFAULT-VALUE}).")
  int devices;

  @Option(names = "--engine", split = ",", defaultValue = "all", paramLabel = "ENGINE",
      description = "Flotilla's telemetry engines to measure: duckdb, postgresql or all (default: ${DEFAULT-VALUE}).")
  List<String> engines = new ArrayList<>();

  @Option(names = "--peers", split = ",", defaultValue = "mosquitto,hivemq", paramLabel = "PEER",
      description = "Peer brokers to measure under the same load: mosquitto, hivemq, or none"
          + " (default: ${DEFAULT-VALUE}).")
  List<String> peers = new ArrayList<>();

  @Option(names = "--window", defaultValue = "32",
      description = "QoS 1 messages each device keeps unacknowledged at full load, and at most when paced"
          + " (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS",
      description = "Measured seconds of each phase, full and half load (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--warmup", defaultValue = "5", paramLabel = "SECONDS",
      description = "Seconds of warm-up before each phase, not counted; three times as long the first time, for the"
          + " generator's own warm-up (default: ${DEFAULT-VALUE}).")
  int warmUpSeconds;

  @Option(names = {"--postgres-url", "--pg-url"}, defaultValue = TemporaryPostgresDatabase.DEFAULT_ADMIN_URL,
      paramLabel = "JDBC-URL", description = "A PostgreSQL database where the user may create databases; the"
          + " telemetry store gets a database of its own, dropped afterwards (default: ${DEFAULT-VALUE}).")
  String postgresAdminUrl = TemporaryPostgresDatabase.DEFAULT_ADMIN_URL;

  @Option(names = "--client-threads", defaultValue = "1",
      description = "Event loop threads of the load generator, which shares the machine with the server"
          + " (default: ${DEFAULT-VALUE}).")
  int clientThreads;

  @Option(names = "--server-log-level", defaultValue = "warn", paramLabel = "LEVEL",
      description = "Flotilla's log level (trace, debug, info, warn, error); its log is flotilla.log in the folder"
          + " --keep-files keeps (default: ${DEFAULT-VALUE}).")
  String serverLogLevel;

  /** The paced phase's rate as a share of the full load's. */
  static final double HALF_LOAD = 0.5;

  /** What runs Flotilla instead of its jar: tests run the server of their own class path. */
  private Optional<FlotillaProgram> flotillaProgram = Optional.empty();

  /** Runs Flotilla as {@code program} instead of from its jar. */
  IngestBenchmark runningFlotillaAs(FlotillaProgram program) {
    this.flotillaProgram = Optional.of(program);
    return this;
  }

  /** Runs the benchmark from a class path, without the {@code flotilla} launcher; the exit code is not passed on. */
  public static void main(String... args) {
    new CommandLine(new IngestBenchmark()).execute(args);
  }

  @Override
  public Integer call() throws IOException {
    List<IngestTarget> targets = validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Each source address holds some 28,000 connections to one port.
    int sources = Math.min(SourceAddresses.MAX, devices / MqttWorkload.PORTS_PER_ADDRESS + 1);
    // Interrupted (Ctrl-C), the brokers are killed by ChildProcess; their files go too, unless asked to stay.
    try (BenchWorkFolder folder = BenchWorkFolder.create("flotilla-bench-ingest", programs.keepFiles, err);
        MqttLoadClient client = new MqttLoadClient(clientThreads, SourceAddresses.loopback(sources),
        Duration.ofSeconds(15))) {
      Path work = folder.path();
      IngestResults results = new IngestResults(targets);
      IngestWorkload workload = new IngestWorkload(new IngestWorkload.Settings(devices, window,
          Duration.ofSeconds(warmUpSeconds), Duration.ofSeconds(seconds), HALF_LOAD, postgresAdminUrl,
          Duration.ofSeconds(programs.quietWaitSeconds), serverLogLevel), client,
          programs.flotillaLauncher(flotillaProgram), peerLaunchers(err), work, err);
      for (IngestTarget target : targets) {
        workload.run(target, results);
      }
      print(out, results);
      return results.failed() ? 1 : 0;
    }
  }

  private Map<BrokerKind, BrokerLauncher> peerLaunchers(PrintWriter progress) {
    Duration startTimeout = Duration.ofSeconds(programs.startTimeoutSeconds);
    Map<BrokerKind, BrokerLauncher> launchers = new EnumMap<>(BrokerKind.class);
    launchers.put(BrokerKind.MOSQUITTO, new MosquittoLauncher(programs.mosquitto, Optional.empty(), startTimeout));
    // In memory, like Mosquitto here: neither peer writes anything, which is what they are the reference for.
    launchers.put(BrokerKind.HIVEMQ, new HiveMqLauncher(Optional.ofNullable(programs.hiveMqPeer), Optional.empty(),
        programs.brokerHeap, "in-memory", startTimeout, progress));
    return launchers;
  }

  private void print(PrintWriter out, IngestResults results) {
    out.println("Machine: " + MachineInfo.current().describe());
    out.println("Targets: " + results.targets().stream()
        .map(t -> t.displayName() + " " + results.version(t).orElse("(unavailable)"))
        .collect(Collectors.joining(", ")) + "; each in a process of its own on 127.0.0.1, JVMs with -Xmx"
        + programs.brokerHeap + " and G1.");
    out.println("Load: " + describeLoad());
    out.println();
    out.print(IngestTable.markdown(results));
    out.println();
    if (results.targets().stream().anyMatch(IngestTarget::stores)
        && results.targets().stream().anyMatch(t -> !t.stores())) {
      out.println("Ratios are Flotilla's figure over the peer's: above 1 is better for rates, below 1 for latency and"
          + " CPU. The peers store nothing: their data points/s are the values they passed on.");
    }
    if (results.targets().stream().anyMatch(IngestTarget::stores)) {
      out.println("Heap growth per stored point: the server's heap after a full GC once the phases are over and the"
          + " store checked, minus the same with the devices connected before the first phase, over the points"
          + " stored. Disk per stored point: the whole telemetry store once the server stopped (DuckDB: file and WAL"
          + " after a CHECKPOINT; PostgreSQL: pg_total_relation_size of its tables, indexes included) over the"
          + " points stored. Flotilla on PostgreSQL: server CPU includes every postgres process of the machine.");
    }
    IngestTable.aims(results).forEach(out::println);
    if (!results.checks().isEmpty()) {
      out.println();
      out.println("Stored points:");
      results.checks().forEach(check -> out.println("- " + check));
    }
    if (!results.notes().isEmpty()) {
      out.println();
      out.println("Notes:");
      results.notes().forEach(note -> out.println("- " + note));
    }
    out.flush();
  }

  private String describeLoad() {
    return String.format(Locale.ROOT, "%,d devices, each one MQTT 3.1.1 connection (clean session) from one"
            + " generator process (Netty NIO, %d event loop thread%s), publishing %d-byte JSON readings of %d values"
            + " and a time at QoS 1 to devices/{id}/telemetry; Flotilla's devices log in with their device tokens and"
            + " their profile's JSON Schema checks every reading. Full load: each device keeps %d messages"
            + " unacknowledged. Half load: %.0f%% of the full load's rate, evenly paced over the devices. Each phase"
            + " %d s measured after %d s of warm-up (%d s the first time); latency is publish to PUBACK, rates count"
            + " PUBACKs.", devices, clientThreads, clientThreads == 1 ? "" : "s", TelemetryPayload.size(),
        TelemetryPayload.VALUES, window, HALF_LOAD * 100, seconds, warmUpSeconds, 3 * warmUpSeconds);
  }

  private List<IngestTarget> validate() {
    String problem = programs.problem();
    require(problem == null, problem);
    require(devices >= 1 && devices <= 100_000, "--devices must be between 1 and 100000, was " + devices);
    require(window >= 1 && window <= 65_535, "--window must be between 1 and 65535, was " + window);
    require(seconds >= 1, "--duration must be at least 1, was " + seconds);
    require(warmUpSeconds >= 0, "--warmup must not be negative, was " + warmUpSeconds);
    require(clientThreads >= 1, "--client-threads must be at least 1, was " + clientThreads);
    require(Pattern.matches("trace|debug|info|warn|error", serverLogLevel),
        "--server-log-level must be trace, debug, info, warn or error, was " + serverLogLevel);
    try {
      List<IngestTarget> targets = IngestTarget.chosen(engines, peers);
      require(!targets.isEmpty(), "--engine and --peers leave nothing to measure");
      return targets;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }

}
