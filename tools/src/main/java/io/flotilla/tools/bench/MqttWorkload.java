package io.flotilla.tools.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The MQTT benchmark's work on each broker in turn: on one fresh broker, connects/s (plain, then
 * TLS) and QoS 0 and QoS 1 throughput; then, for each idle size, a fresh broker holding that many
 * idle connections. A broker that does not start is noted as unavailable and the others go on;
 * so does a measure that fails.
 */
final class MqttWorkload {
  /** Open files a process needs beside its connections: listeners, logs, jars, databases. */
  static final int FILE_MARGIN = 512;
  /** Connections one source address can hold towards one broker port, within the ephemeral port range. */
  static final int PORTS_PER_ADDRESS = 28_000;
  private static final String FILE_LIMIT_HINT = " (the hard limit, ulimit -Hn; raising it takes root: LimitNOFILE= in a"
      + " systemd unit, /etc/security/limits.conf, or prlimit --nofile)";

  /** What to measure and with how much load. */
  record Settings(Set<Phase> phases, int connects, int tlsConnects, int connectConcurrency, int publishers,
      int subscribers, int window, int payloadBytes, Duration warmUp, Duration measured, List<Integer> idleSizes,
      int idleConcurrency, int keepAliveSeconds, Duration settle, Duration phaseTimeout, Duration quietWait) {}

  /** The parts of the benchmark, as {@code --measures} names them. */
  enum Phase {
    CONNECT, TLS, QOS0, QOS1, IDLE;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Settings settings;
  private final MqttLoadClient client;
  private final Map<BrokerKind, BrokerLauncher> launchers;
  private final Path workFolder;
  private final PrintWriter progress;
  /** Measures that have run once: the generator's own code for them is compiled by now. */
  private final Set<Phase> warm = EnumSet.noneOf(Phase.class);

  MqttWorkload(Settings settings, MqttLoadClient client, Map<BrokerKind, BrokerLauncher> launchers, Path workFolder,
      PrintWriter progress) {
    this.settings = settings;
    this.client = client;
    this.launchers = launchers;
    this.workFolder = workFolder;
    this.progress = progress;
  }

  /** Declares the rows of the table, in order, for the phases to run. */
  void declareRows(MqttComparison comparison) {
    Set<Phase> phases = settings.phases();
    if (phases.contains(Phase.CONNECT)) {
      comparison.declare(MqttMeasure.CONNECTS_PLAIN);
      comparison.declare(MqttMeasure.CONNECT_CPU);
    }
    if (phases.contains(Phase.TLS)) {
      comparison.declare(MqttMeasure.CONNECTS_TLS);
      comparison.declare(MqttMeasure.TLS_CONNECT_CPU);
    }
    if (phases.contains(Phase.QOS0)) {
      List.of(MqttMeasure.QOS0_RATE, MqttMeasure.QOS0_P50, MqttMeasure.QOS0_P99, MqttMeasure.QOS0_CPU)
          .forEach(comparison::declare);
    }
    if (phases.contains(Phase.QOS1)) {
      List.of(MqttMeasure.QOS1_RATE, MqttMeasure.QOS1_P50, MqttMeasure.QOS1_P99, MqttMeasure.QOS1_ACK_P50,
          MqttMeasure.QOS1_ACK_P99, MqttMeasure.QOS1_CPU).forEach(comparison::declare);
    }
    if (phases.contains(Phase.IDLE)) {
      for (int size : settings.idleSizes()) {
        comparison.declare(MqttMeasure.heapPerIdle(size));
        comparison.declare(MqttMeasure.residentPerIdle(size));
      }
    }
  }

  /** Measures one broker, adding its figures and notes to {@code comparison}. */
  void run(BrokerKind kind, MqttComparison comparison) {
    BrokerLauncher launcher = launchers.get(kind);
    String name = kind.displayName();
    Set<Phase> phases = settings.phases();
    if (phases.stream().anyMatch(p -> p != Phase.IDLE)) {
      progress.printf("%s: starting%n", name);
      try (RunningBroker broker = launcher.start(folder(kind.wireName()))) {
        comparison.version(kind, broker.version());
        progress.printf("%s %s: listening on port %d%s (pid %d)%n", name, broker.version(), broker.port(),
            broker.tlsPort().map(p -> ", TLS on " + p).orElse(""), broker.pid());
        measureConnects(broker, comparison);
        measureThroughput(broker, MqttQoS.AT_MOST_ONCE, comparison);
        measureThroughput(broker, MqttQoS.AT_LEAST_ONCE, comparison);
      } catch (BrokerUnavailableException e) {
        unavailable(kind, e, comparison);
        return;
      }
    }
    if (phases.contains(Phase.IDLE)) {
      for (int size : settings.idleSizes()) {
        if (!measureIdle(launcher, size, comparison)) {
          return;
        }
      }
    }
  }

  private void measureConnects(RunningBroker broker, MqttComparison comparison) {
    String name = broker.kind().displayName();
    if (settings.phases().contains(Phase.CONNECT)) {
      connects(broker, false, settings.connects(), MqttMeasure.CONNECTS_PLAIN, MqttMeasure.CONNECT_CPU, comparison);
    }
    if (settings.phases().contains(Phase.TLS)) {
      if (broker.tlsAddress().isPresent()) {
        connects(broker, true, settings.tlsConnects(), MqttMeasure.CONNECTS_TLS, MqttMeasure.TLS_CONNECT_CPU,
            comparison);
      } else {
        comparison.note(name + ", TLS: no TLS listener: " + broker.tlsMissing());
        progress.printf("%s: no TLS listener: %s%n", name, broker.tlsMissing());
      }
    }
  }

  private void connects(RunningBroker broker, boolean tls, int count, MqttMeasure measure, MqttMeasure cpuMeasure,
      MqttComparison comparison) {
    String name = broker.kind().displayName();
    String what = tls ? "TLS connects" : "plain connects";
    ConnectRateRun run = new ConnectRateRun(client, "fb" + tag() + "c");
    try {
      var address = tls ? broker.tlsAddress().orElseThrow() : broker.plainAddress();
      awaitQuiet(broker);
      run.warmUp(address, tls, warmUp(tls ? Phase.TLS : Phase.CONNECT), settings.connectConcurrency());
      CpuUse.Sample cpuFrom = CpuUse.sample(broker.pid());
      ConnectRateRun.Result result = run.run(address, tls, count, settings.connectConcurrency(),
          settings.phaseTimeout());
      CpuUse cpu = CpuUse.between(cpuFrom, CpuUse.sample(broker.pid()));
      comparison.put(measure, broker.kind(), result.perSecond());
      cpu.broker().ifPresent(cores -> comparison.put(cpuMeasure, broker.kind(),
          cores * result.elapsed().toNanos() / 1e3 / result.connected()));
      progress.printf(Locale.ROOT, "%s: %,d %s: %s/s, connect→CONNACK p50 %s, p99 %s; %s%n", name, count, what,
          ResultTable.rate(result.perSecond()), micros(result.latencies(), 50), micros(result.latencies(), 99),
          describe(cpu));
      noteNoise(name, what, cpu, comparison);
      if (result.failed() > 0) {
        comparison.note(String.format(Locale.ROOT, "%s, %s: %,d of %,d failed (first: %s)", name, what,
            result.failed(), count, result.firstFailure().orElse("?")));
      }
    } catch (RuntimeException e) {
      failed(broker, what, e, comparison);
    }
  }

  private void measureThroughput(RunningBroker broker, MqttQoS qos, MqttComparison comparison) {
    boolean qos0 = qos == MqttQoS.AT_MOST_ONCE;
    if (!settings.phases().contains(qos0 ? Phase.QOS0 : Phase.QOS1)) {
      return;
    }
    String name = broker.kind().displayName();
    String what = "QoS " + qos.value();
    try {
      awaitQuiet(broker);
      ThroughputRun.Result result = new ThroughputRun(client, tag()).run(broker, new ThroughputRun.Settings(
          settings.publishers(), settings.subscribers(), qos, settings.window(), settings.payloadBytes(),
          warmUp(qos0 ? Phase.QOS0 : Phase.QOS1), settings.measured()));
      if (result.received() == 0) {
        throw new IllegalStateException("no message arrived in the measured window");
      }
      BrokerKind kind = broker.kind();
      comparison.put(qos0 ? MqttMeasure.QOS0_RATE : MqttMeasure.QOS1_RATE, kind, result.perSecond());
      comparison.put(qos0 ? MqttMeasure.QOS0_P50 : MqttMeasure.QOS1_P50, kind, p(result.endToEnd(), 50));
      comparison.put(qos0 ? MqttMeasure.QOS0_P99 : MqttMeasure.QOS1_P99, kind, p(result.endToEnd(), 99));
      result.cpu().broker().ifPresent(cores -> comparison.put(qos0 ? MqttMeasure.QOS0_CPU : MqttMeasure.QOS1_CPU,
          kind, cores * 1e6 / result.perSecond()));
      if (!qos0 && result.pubAck().count() > 0) {
        comparison.put(MqttMeasure.QOS1_ACK_P50, kind, p(result.pubAck(), 50));
        comparison.put(MqttMeasure.QOS1_ACK_P99, kind, p(result.pubAck(), 99));
      }
      progress.printf(Locale.ROOT, "%s: %s: %s msgs/s, latency p50 %s, p99 %s%s; %s%n", name, what,
          ResultTable.rate(result.perSecond()), micros(result.endToEnd(), 50), micros(result.endToEnd(), 99),
          qos0 || result.pubAck().count() == 0 ? ""
              : ", PUBACK p50 " + micros(result.pubAck(), 50) + ", p99 " + micros(result.pubAck(), 99),
          describe(result.cpu()));
      noteNoise(name, what, result.cpu(), comparison);
      long lost = result.sent() - result.delivered();
      if (lost < 0) {
        comparison.note(String.format(Locale.ROOT, "%s, %s: %,d more messages arrived than were published"
            + " (duplicates)", name, what, -lost));
      } else if (lost > 0 || result.stalls() > 0) {
        comparison.note(String.format(Locale.ROOT, "%s, %s: %,d of %,d messages published did not arrive%s", name,
            what, lost, result.sent(), result.stalls() > 0 ? " (publishers stopped waiting for them "
                + result.stalls() + " times)" : ""));
      }
    } catch (RuntimeException e) {
      failed(broker, what, e, comparison);
    }
  }

  /** Measures one idle size on a fresh broker; false if the broker cannot be started at all. */
  private boolean measureIdle(BrokerLauncher launcher, int size, MqttComparison comparison) {
    BrokerKind kind = launcher.kind();
    String name = kind.displayName();
    String what = String.format(Locale.ROOT, "%,d idle connections", size);
    long need = (long) size + FILE_MARGIN;
    OptionalLong ownLimit = ProcessStats.openFilesLimit(ProcessHandle.current().pid());
    if (ownLimit.isPresent() && ownLimit.getAsLong() < need) {
      skipIdle(kind, size, what, "needs " + need + " open files in the load generator, which may open "
          + ownLimit.getAsLong() + FILE_LIMIT_HINT, comparison);
      return true;
    }
    if (size > (long) client.sources().all().size() * PORTS_PER_ADDRESS) {
      skipIdle(kind, size, what, "needs more source addresses: raise --source-addresses", comparison);
      return true;
    }
    progress.printf(Locale.ROOT, "%s: starting a fresh broker for %s%n", name, what);
    try (RunningBroker broker = launcher.start(folder(kind.wireName() + "-idle-" + size))) {
      comparison.version(kind, broker.version());
      OptionalLong brokerLimit = ProcessStats.openFilesLimit(broker.pid());
      if (brokerLimit.isPresent() && brokerLimit.getAsLong() < need) {
        skipIdle(kind, size, what, "needs " + need + " open files in the broker, which may open "
            + brokerLimit.getAsLong() + FILE_LIMIT_HINT, comparison);
        return true;
      }
      awaitQuiet(broker);
      IdleConnectionsRun.Result result = new IdleConnectionsRun(client, tag()).run(broker,
          new IdleConnectionsRun.Settings(size, settings.idleConcurrency(), settings.keepAliveSeconds(),
              settings.settle(), settings.phaseTimeout()));
      comparison.put(MqttMeasure.residentPerIdle(size), kind, result.residentPerConnection());
      result.heapPerConnection().ifPresent(h -> comparison.put(MqttMeasure.heapPerIdle(size), kind, h));
      progress.printf(Locale.ROOT, "%s: %s (opened at %s/s): RSS %s → %s, %s each%s%n", name, what,
          ResultTable.rate(result.connectsPerSecond()), mib(result.before().residentBytes()),
          mib(result.after().residentBytes()), FigureUnit.bytes(result.residentPerConnection()),
          result.heapPerConnection().map(h -> "; heap after GC " + mib(result.before().heapBytes().orElseThrow())
              + " → " + mib(result.after().heapBytes().orElseThrow()) + ", " + FigureUnit.bytes(h) + " each")
              .orElse(""));
      return true;
    } catch (BrokerUnavailableException e) {
      unavailable(kind, e, comparison);
      return false;
    } catch (RuntimeException e) {
      comparison.note(name + ", " + what + ": " + e.getMessage());
      progress.printf("%s: %s failed: %s%n", name, what, e.getMessage());
      return true;
    }
  }

  /**
   * The warm-up before a measure: three times as long the first time the run does it, so that the
   * generator's code for it is compiled too and the first broker measured is not at a disadvantage.
   */
  private Duration warmUp(Phase phase) {
    return warm.add(phase) ? settings.warmUp().multipliedBy(3) : settings.warmUp();
  }

  /** Waits, at most {@code quietWait}, for other processes to leave the CPU ({@link QuietWait}). */
  private void awaitQuiet(RunningBroker broker) {
    QuietWait.await(broker.pid(), settings.quietWait(), progress);
  }

  private void skipIdle(BrokerKind kind, int size, String what, String reason, MqttComparison comparison) {
    comparison.remark(MqttMeasure.heapPerIdle(size), kind, "skipped");
    comparison.remark(MqttMeasure.residentPerIdle(size), kind, "skipped");
    String note = kind.displayName() + ", " + what + ": skipped: " + reason;
    comparison.note(note);
    progress.println(note);
  }

  private void unavailable(BrokerKind kind, BrokerUnavailableException e, MqttComparison comparison) {
    comparison.note(kind.displayName() + ": unavailable: " + e.getMessage());
    progress.printf("%s: unavailable: %s%n", kind.displayName(), e.getMessage());
  }

  private void failed(RunningBroker broker, String what, RuntimeException e, MqttComparison comparison) {
    String name = broker.kind().displayName();
    comparison.note(name + ", " + what + ": failed: " + e.getMessage()
        + (broker.process().isAlive() ? "" : "; the broker exited" + broker.process().lastWords()));
    progress.printf("%s: %s failed: %s%n", name, what, e.getMessage());
  }

  private Path folder(String name) {
    try {
      return Files.createDirectories(workFolder.resolve(name));
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a folder in " + workFolder + ": " + e.getMessage(), e);
    }
  }

  private static String tag() {
    return HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
  }

  private static double p(LatencyRecorder latencies, double percentile) {
    return latencies.percentileNanos(percentile) / 1e3;
  }

  private static String micros(LatencyRecorder latencies, double percentile) {
    return latencies.count() == 0 ? "–" : ResultTable.micros(p(latencies, percentile));
  }

  private static String cores(OptionalDouble cores) {
    return cores.isPresent() ? String.format(Locale.ROOT, "%.2f", cores.getAsDouble()) : "?";
  }

  private static String describe(CpuUse cpu) {
    return "CPU in cores: broker " + cores(cpu.broker()) + ", generator " + cores(cpu.generator()) + ", others "
        + cores(cpu.others());
  }

  /** Notes a measure during which other processes took a noticeable share of the machine. */
  private void noteNoise(String name, String what, CpuUse cpu, MqttComparison comparison) {
    if (cpu.noisy()) {
      comparison.note(String.format(Locale.ROOT, "%s, %s: other processes used %.2f cores meanwhile, so this"
          + " figure is probably low", name, what, cpu.others().getAsDouble()));
    }
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }
}
