package io.flotilla.tools.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code flotilla bench mqtt}: Flotilla's MQTT broker against Mosquitto and HiveMQ CE, with the
 * same load from the same generator, in the same run, on this machine. Each broker runs in a
 * process of its own, started and stopped by the benchmark. Progress goes to stderr, the results
 * as a Markdown table with Flotilla/peer ratios to stdout.
 */
@Command(
    name = "mqtt",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Compares MQTT brokers on this machine under the same load: connects/s (plain and TLS), QoS 0 and QoS 1"
            + " publish throughput with latency percentiles, and memory per idle connected device.",
        "Flotilla (java -jar cli/target/flotilla.jar server), Mosquitto (/usr/sbin/mosquitto) and HiveMQ CE"
            + " (embedded, bench-peers/target/hivemq-peer.jar) each run in a process of their own on free ports"
            + " of 127.0.0.1; a broker that does not start is reported unavailable. Prints a Markdown table.",
        "Idle connections come from 127.0.0.2 on (--source-addresses), so that one machine can hold 50,000 and more."
            + " Each idle size needs that many open files in the generator and in the broker: the brokers are started"
            + " with their soft limit raised to the hard one (ulimit -Hn), and a size beyond it is skipped."})
public final class MqttBenchmark implements Callable<Integer> {
  /** The exit code for an error the user can fix, as {@code flotilla} uses it. */
  static final int USER_ERROR = 2;

  @Spec
  CommandSpec spec;

  @Mixin
  BrokerPrograms programs;

  @Option(names = "--brokers", split = ",", converter = BrokerKind.Converter.class,
      defaultValue = "flotilla,mosquitto,hivemq", paramLabel = "BROKER",
      description = "Brokers to measure, in order: flotilla, mosquitto, hivemq (default: ${DEFAULT-VALUE}).")
  List<BrokerKind> brokers = new ArrayList<>();

  @Option(names = "--measures", split = ",", converter = PhaseConverter.class,
      defaultValue = "connect,tls,qos0,qos1,idle", paramLabel = "MEASURE",
      description = "What to measure: connect, tls, qos0, qos1, idle (default: ${DEFAULT-VALUE}).")
  List<MqttWorkload.Phase> phases = new ArrayList<>();

  @Option(names = "--connects", defaultValue = "5000",
      description = "Plain connect/CONNACK/disconnect cycles measured per broker, after --warmup seconds of them"
          + " (default: ${DEFAULT-VALUE}).")
  int connects;

  @Option(names = "--tls-connects", defaultValue = "1000",
      description = "TLS connect cycles measured per broker, each a full handshake (default: ${DEFAULT-VALUE}).")
  int tlsConnects;

  @Option(names = "--connect-concurrency", defaultValue = "16",
      description = "Connect cycles in progress at once (default: ${DEFAULT-VALUE}).")
  int connectConcurrency;

  @Option(names = "--publishers", defaultValue = "8",
      description = "Publishing connections, each on a topic of its own (default: ${DEFAULT-VALUE}).")
  int publishers;

  @Option(names = "--subscribers", defaultValue = "4",
      description = "Subscribing connections sharing the publishers' topics, at most --publishers"
          + " (default: ${DEFAULT-VALUE}).")
  int subscribers;

  @Option(names = "--window", defaultValue = "32",
      description = "Messages per publisher on their way at once: published, not yet received (and for QoS 1"
          + " acknowledged) (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(names = "--payload-bytes", defaultValue = "120",
      description = "Size of each message, a JSON telemetry document (default: ${DEFAULT-VALUE}; at least "
          + BenchPayload.MIN_BYTES + ").")
  int payloadBytes;

  @Option(names = "--seconds", defaultValue = "10",
      description = "Measured seconds of each throughput measure (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--warmup", defaultValue = "5", paramLabel = "SECONDS",
      description = "Seconds of warm-up before each connect and throughput measure, not counted; three times as"
          + " long the first time, for the generator's own warm-up (default: ${DEFAULT-VALUE}).")
  int warmUpSeconds;

  @Option(names = "--idle", split = ",", defaultValue = "10000,50000", paramLabel = "CONNECTIONS",
      description = "Idle connection counts to measure memory at, each on a fresh broker (default: ${DEFAULT-VALUE}).")
  List<Integer> idleSizes = new ArrayList<>();

  @Option(names = "--idle-concurrency", defaultValue = "100",
      description = "Idle connections being opened at once (default: ${DEFAULT-VALUE}).")
  int idleConcurrency;

  @Option(names = "--keepalive", defaultValue = "300", paramLabel = "SECONDS",
      description = "Keep-alive of the idle connections, which send PINGREQ after 3/4 of it (default: ${DEFAULT-VALUE}).")
  int keepAliveSeconds;

  @Option(names = "--settle", defaultValue = "5", paramLabel = "SECONDS",
      description = "Seconds to wait once the idle connections are up, before measuring memory"
          + " (default: ${DEFAULT-VALUE}).")
  int settleSeconds;

  @Option(names = "--client-threads", defaultValue = "1",
      description = "Event loop threads of the load generator, which shares the machine with the broker"
          + " (default: ${DEFAULT-VALUE}).")
  int clientThreads;

  @Option(names = "--source-addresses", defaultValue = "8",
      description = "Loopback addresses the connections come from, 127.0.0.2 on; each holds about 28,000"
          + " connections to one broker (default: ${DEFAULT-VALUE}).")
  int sourceAddresses;

  @Option(names = "--hivemq-persistence", defaultValue = "in-memory", paramLabel = "MODE",
      description = "HiveMQ's persistence: in-memory, like Mosquitto's here, or file, HiveMQ's own default"
          + " (default: ${DEFAULT-VALUE}).")
  String hiveMqPersistence;

  @Option(names = "--phase-timeout", defaultValue = "300", paramLabel = "SECONDS",
      description = "How long one batch of connections may take before it counts as failed (default: ${DEFAULT-VALUE}).")
  int phaseTimeoutSeconds;

  /** Runs the benchmark from a class path, without the {@code flotilla} launcher; the exit code is not passed on. */
  public static void main(String... args) {
    new CommandLine(new MqttBenchmark()).execute(args);
  }

  @Override
  public Integer call() throws IOException {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<BrokerKind> order = brokers.stream().distinct().toList();
    // Interrupted (Ctrl-C), the brokers are killed by ChildProcess; their files go too, unless asked to stay.
    try (BenchWorkFolder folder = BenchWorkFolder.create("flotilla-bench-mqtt", programs.keepFiles, err);
        MqttLoadClient client = new MqttLoadClient(clientThreads, SourceAddresses.loopback(sourceAddresses),
        Duration.ofSeconds(15))) {
      Path work = folder.path();
      MqttComparison comparison = new MqttComparison(order);
      Optional<TlsFiles> tls = tlsFiles(work, comparison, err);
      MqttWorkload workload = new MqttWorkload(settings(), client, launchers(tls, err), work, err);
      workload.declareRows(comparison);
      for (BrokerKind broker : order) {
        workload.run(broker, comparison);
        err.flush();
      }
      print(out, comparison, client);
      return comparison.measures().stream()
          .anyMatch(m -> order.stream().anyMatch(b -> comparison.value(m, b).isPresent())) ? 0 : 1;
    }
  }

  private MqttWorkload.Settings settings() {
    return new MqttWorkload.Settings(EnumSet.copyOf(phases), connects, tlsConnects, connectConcurrency, publishers,
        subscribers, window, payloadBytes, Duration.ofSeconds(warmUpSeconds), Duration.ofSeconds(seconds),
        idleSizes.stream().distinct().toList(), idleConcurrency, keepAliveSeconds, Duration.ofSeconds(settleSeconds),
        Duration.ofSeconds(phaseTimeoutSeconds), Duration.ofSeconds(programs.quietWaitSeconds));
  }

  private Map<BrokerKind, BrokerLauncher> launchers(Optional<TlsFiles> tls, PrintWriter progress) {
    Duration startTimeout = Duration.ofSeconds(programs.startTimeoutSeconds);
    Map<BrokerKind, BrokerLauncher> launchers = new EnumMap<>(BrokerKind.class);
    launchers.put(BrokerKind.FLOTILLA, new FlotillaLauncher(Optional.ofNullable(programs.flotillaJar),
        programs.brokerHeap, startTimeout));
    launchers.put(BrokerKind.MOSQUITTO, new MosquittoLauncher(programs.mosquitto, tls, startTimeout));
    launchers.put(BrokerKind.HIVEMQ, new HiveMqLauncher(Optional.ofNullable(programs.hiveMqPeer), tls,
        programs.brokerHeap, hiveMqPersistence, startTimeout, progress));
    return launchers;
  }

  private static Optional<TlsFiles> tlsFiles(Path work, MqttComparison comparison, PrintWriter err) {
    try {
      return Optional.of(TlsFiles.generate(Files.createDirectories(work.resolve("tls"))));
    } catch (IOException e) {
      String note = "TLS: no server certificate could be made, so no broker has a TLS listener: " + e.getMessage();
      comparison.note(note);
      err.println(note);
      return Optional.empty();
    }
  }

  private void print(PrintWriter out, MqttComparison comparison, MqttLoadClient client) {
    out.println("Machine: " + MachineInfo.current().describe());
    out.println("Brokers: " + comparison.brokers().stream()
        .map(b -> b.displayName() + " " + comparison.version(b).orElse("(unavailable)"))
        .collect(Collectors.joining(", ")) + "; each in a process of its own on 127.0.0.1"
        + (comparison.brokers().stream().anyMatch(BrokerKind::isJvm)
            ? ", JVMs with -Xmx" + programs.brokerHeap + " and G1" : "") + ".");
    out.println("Load: " + describeLoad(client));
    out.println();
    out.print(MqttComparisonTable.markdown(comparison));
    out.println();
    if (comparison.brokers().contains(BrokerKind.FLOTILLA) && comparison.brokers().size() > 1) {
      out.println("Ratios are Flotilla's figure over the peer's: above 1 is better for rates, below 1 for latency,"
          + " CPU and memory.");
    }
    List<MqttMeasure> heapRows = comparison.measures().stream().filter(MqttMeasure::jvmOnly).toList();
    MqttComparisonTable.aims(comparison, heapRows).forEach(out::println);
    List<String> notes = comparison.notes();
    if (!notes.isEmpty()) {
      out.println();
      out.println("Notes:");
      notes.forEach(note -> out.println("- " + note));
    }
    out.flush();
  }

  private String describeLoad(MqttLoadClient client) {
    return String.format(Locale.ROOT, "one generator process (Netty NIO, %d event loop thread%s), MQTT 3.1.1 clean"
            + " sessions from %s. Warm-up before each connect and throughput measure: %d s (%d s the first time)."
            + " Connects: %,d plain and %,d TLS cycles (connect, CONNACK, DISCONNECT), %d at a time. Throughput:"
            + " %d publishers to %d subscribers on %d topics, %d-byte JSON payloads, at most %d messages per publisher"
            + " on their way, %d s measured; latency is publish to receipt. Idle: a fresh broker per size, clients"
            + " with keep-alive %d s, memory after %d s and a full GC (JVMs), minus the memory before they connected.",
        clientThreads, clientThreads == 1 ? "" : "s", client.sources().describe(), warmUpSeconds, 3 * warmUpSeconds,
        connects, tlsConnects, connectConcurrency, publishers, subscribers, publishers, payloadBytes, window, seconds,
        keepAliveSeconds, settleSeconds);
  }

  private void validate() {
    String problem = programs.problem();
    require(problem == null, problem);
    require(!brokers.isEmpty(), "--brokers must name at least one broker: flotilla, mosquitto, hivemq");
    require(!phases.isEmpty(), "--measures must name at least one measure: connect, tls, qos0, qos1, idle");
    require(connects >= 1, "--connects must be at least 1, was " + connects);
    require(tlsConnects >= 1, "--tls-connects must be at least 1, was " + tlsConnects);
    require(connectConcurrency >= 1 && connectConcurrency <= 10_000,
        "--connect-concurrency must be between 1 and 10000, was " + connectConcurrency);
    require(publishers >= 1 && publishers <= BenchPayload.MAX_PUBLISHER + 1,
        "--publishers must be between 1 and " + (BenchPayload.MAX_PUBLISHER + 1) + ", was " + publishers);
    require(subscribers >= 1 && subscribers <= publishers,
        "--subscribers must be between 1 and --publishers (" + publishers + "), was " + subscribers);
    require(window >= 1 && window <= 65_535, "--window must be between 1 and 65535, was " + window);
    require(payloadBytes >= BenchPayload.MIN_BYTES && payloadBytes <= 60_000,
        "--payload-bytes must be between " + BenchPayload.MIN_BYTES + " and 60000, was " + payloadBytes);
    require(seconds >= 1, "--seconds must be at least 1, was " + seconds);
    require(warmUpSeconds >= 0, "--warmup must not be negative, was " + warmUpSeconds);
    require(!idleSizes.isEmpty() && idleSizes.stream().allMatch(n -> n >= 1),
        "--idle must list connection counts of at least 1, was " + idleSizes);
    require(idleConcurrency >= 1, "--idle-concurrency must be at least 1, was " + idleConcurrency);
    require(keepAliveSeconds >= 0 && keepAliveSeconds <= 65_535,
        "--keepalive must be between 0 and 65535, was " + keepAliveSeconds);
    require(settleSeconds >= 0, "--settle must not be negative, was " + settleSeconds);
    require(clientThreads >= 1, "--client-threads must be at least 1, was " + clientThreads);
    require(sourceAddresses >= 1 && sourceAddresses <= SourceAddresses.MAX,
        "--source-addresses must be between 1 and " + SourceAddresses.MAX + ", was " + sourceAddresses);
    require(hiveMqPersistence.equals("in-memory") || hiveMqPersistence.equals("file"),
        "--hivemq-persistence must be in-memory or file, was " + hiveMqPersistence);
    require(phaseTimeoutSeconds >= 1, "--phase-timeout must be at least 1, was " + phaseTimeoutSeconds);
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }

  /** Reads a measure's name: {@code connect}, {@code tls}, {@code qos0}, {@code qos1}, {@code idle}. */
  static final class PhaseConverter implements ITypeConverter<MqttWorkload.Phase> {
    @Override
    public MqttWorkload.Phase convert(String value) {
      return Stream.of(MqttWorkload.Phase.values()).filter(p -> p.wireName().equalsIgnoreCase(value.strip()))
          .findFirst().orElseThrow(() -> new TypeConversionException("'" + value + "' is not a measure; use "
              + Stream.of(MqttWorkload.Phase.values()).map(MqttWorkload.Phase::wireName)
                  .collect(Collectors.joining(", "))));
    }
  }
}
