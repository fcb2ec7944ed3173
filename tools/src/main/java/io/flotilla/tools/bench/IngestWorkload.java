package io.flotilla.tools.bench;

import io.flotilla.core.store.StoreException;
import io.flotilla.store.sql.TemporaryPostgresDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The ingest benchmark's work on each target in turn. Flotilla starts on a fresh data folder (and
 * for PostgreSQL a fresh database) with anonymous MQTT off; a profile with the readings' JSON
 * Schema, the devices and a token for each are registered through the REST API, and the devices
 * log in as real ones do. A peer broker starts with anonymous clients and stores nothing. Then the
 * same phases for every target: full load, and half of that rate paced. For Flotilla the store
 * must then hold every data point acknowledged, or the run fails.
 */
final class IngestWorkload {
  static final String PROFILE = "bench-sensor";
  /** The tag every benchmark device has, which the stored-point count selects them by. */
  static final String TAG_KEY = "fleet";
  static final String TAG_VALUE = "bench-ingest";

  /**
   * What to run.
   *
   * @param window QoS 1 messages each device keeps unacknowledged at full load, and at most when paced
   * @param halfLoad the paced phase's rate as a share of the full-load rate
   * @param postgresAdminUrl a database where the user may create databases
   */
  record Settings(int devices, int window, Duration warmUp, Duration measured, double halfLoad,
      String postgresAdminUrl, Duration quietWait, String serverLogLevel) {}

  private final Settings settings;
  private final MqttLoadClient client;
  private final FlotillaLauncher flotilla;
  private final Map<BrokerKind, BrokerLauncher> peers;
  private final Path workFolder;
  private final PrintWriter progress;
  /** Whether the generator's code has run a phase already; the first warm-up is three times as long. */
  private boolean generatorWarm;

  IngestWorkload(Settings settings, MqttLoadClient client, FlotillaLauncher flotilla,
      Map<BrokerKind, BrokerLauncher> peers, Path workFolder, PrintWriter progress) {
    this.settings = settings;
    this.client = client;
    this.flotilla = flotilla;
    this.peers = peers;
    this.workFolder = workFolder;
    this.progress = progress;
  }

  /** The devices' ids: {@code bench-00000} on. */
  static List<String> deviceIds(int devices) {
    List<String> ids = new ArrayList<>(devices);
    for (int i = 0; i < devices; i++) {
      ids.add(String.format(Locale.ROOT, "bench-%05d", i));
    }
    return ids;
  }

  /** Measures one target, adding its figures, checks and notes to {@code results}. */
  void run(IngestTarget target, IngestResults results) {
    progress.printf("%s: starting%n", target.displayName());
    progress.flush();
    if (target.stores()) {
      runFlotilla(target, results);
    } else {
      runPeer(target, results);
    }
    progress.flush();
  }

  private void runPeer(IngestTarget target, IngestResults results) {
    BrokerKind kind = target.peer().orElseThrow();
    try (RunningBroker broker = peers.get(kind).start(folder(target.wireName()))) {
      results.version(target, broker.version());
      progress.printf("%s %s: listening on port %d (pid %d)%n", target.displayName(), broker.version(), broker.port(),
          broker.pid());
      List<IngestRun.Device> devices = deviceIds(settings.devices()).stream()
          .map(id -> new IngestRun.Device(id, Optional.empty())).toList();
      try (IngestRun run = IngestRun.connect(client, broker.plainAddress(), devices, settings.window())) {
        measurePhases(target, run, broker, new ServerCpu(broker.pid(), false), results);
      } catch (RuntimeException e) {
        failed(target, broker, e, results);
      }
    } catch (BrokerUnavailableException e) {
      results.note(target.displayName() + ": unavailable: " + e.getMessage());
      progress.printf("%s: unavailable: %s%n", target.displayName(), e.getMessage());
    }
  }

  private void runFlotilla(IngestTarget target, IngestResults results) {
    Optional<TemporaryPostgresDatabase> database = Optional.empty();
    if (target == IngestTarget.POSTGRESQL) {
      try {
        database = Optional.of(TemporaryPostgresDatabase.create(settings.postgresAdminUrl()));
      } catch (StoreException e) {
        results.fail(target.displayName() + ": unavailable: " + e.getMessage() + " (set --postgres-url, or leave"
            + " postgresql out of --engine)");
        progress.printf("%s: unavailable: %s%n", target.displayName(), e.getMessage());
        return;
      }
    }
    try {
      String tsUrl = database.map(TemporaryPostgresDatabase::jdbcUrl).orElse("duckdb:");
      Map<String, String> environment = database.isPresent() ? Map.of("FLOTILLA_TS_URL", tsUrl) : Map.of();
      String engine = database.map(d -> StoreFootprint.product(d.jdbcUrl(), "PostgreSQL"))
          .orElseGet(() -> StoreFootprint.product("jdbc:duckdb:", "DuckDB"));
      Path dataDir;
      OptionalLong storedPoints;
      try (RunningFlotilla server = flotilla.startServer(folder(target.wireName()),
          FlotillaOptions.devicesOnly(environment, settings.serverLogLevel()))) {
        RunningBroker broker = server.broker();
        results.version(target, broker.version() + " on " + engine);
        progress.printf("%s %s on %s: MQTT on port %d, HTTP on %d (pid %d)%n", target.displayName(), broker.version(),
            engine, broker.port(), server.httpPort(), broker.pid());
        dataDir = server.dataDir();
        storedPoints = measureFlotilla(target, server, database.isPresent(), results);
      }
      if (storedPoints.isPresent() && storedPoints.getAsLong() > 0) {
        long disk = StoreFootprint.diskBytes(tsUrl, dataDir);
        results.put(IngestMeasure.DISK_PER_POINT, target, (double) disk / storedPoints.getAsLong());
        progress.printf(Locale.ROOT, "%s: the telemetry store takes %.1f MiB on disk, %s per stored point%n",
            target.displayName(), disk / (1024.0 * 1024), FigureUnit.bytes((double) disk
                / storedPoints.getAsLong()));
      }
    } catch (BrokerUnavailableException e) {
      results.fail(target.displayName() + ": unavailable: " + e.getMessage());
      progress.printf("%s: unavailable: %s%n", target.displayName(), e.getMessage());
    } catch (RuntimeException e) {
      results.fail(target.displayName() + ": failed: " + e.getMessage());
      progress.printf("%s: failed: %s%n", target.displayName(), e.getMessage());
    } finally {
      database.ifPresent(TemporaryPostgresDatabase::close);
    }
  }

  /** Registers the fleet, runs the phases, checks the store; returns the points stored, if measured. */
  private OptionalLong measureFlotilla(IngestTarget target, RunningFlotilla server, boolean postgres,
      IngestResults results) {
    RunningBroker broker = server.broker();
    FlotillaAdminApi api = new FlotillaAdminApi(server.httpBase(), server.adminToken());
    Instant from = Instant.now().minus(Duration.ofHours(1));
    List<IngestRun.Device> devices;
    try {
      devices = register(api);
    } catch (RuntimeException e) {
      failed(target, broker, e, results);
      return OptionalLong.empty();
    }
    try (IngestRun run = IngestRun.connect(client, broker.plainAddress(), devices, settings.window())) {
      OptionalLong heapBefore = JvmHeap.usedAfterFullGc(broker.pid());
      measurePhases(target, run, broker, new ServerCpu(broker.pid(), postgres), results);
      long stored = check(target, api, run.acknowledged(), from, results);
      OptionalLong heapAfter = JvmHeap.usedAfterFullGc(broker.pid());
      if (heapBefore.isPresent() && heapAfter.isPresent() && stored > 0) {
        long growth = heapAfter.getAsLong() - heapBefore.getAsLong();
        results.put(IngestMeasure.HEAP_PER_POINT, target, (double) growth / stored);
        progress.printf(Locale.ROOT, "%s: heap after a full GC %s before the load, %s after it: %s per stored"
            + " point%n", target.displayName(), mib(heapBefore.getAsLong()), mib(heapAfter.getAsLong()),
            FigureUnit.bytes((double) growth / stored));
      }
      return OptionalLong.of(stored);
    } catch (RuntimeException e) {
      failed(target, broker, e, results);
      return OptionalLong.empty();
    }
  }

  /** The profile with the readings' schema, the devices with a tag to count them by, and a token each. */
  private List<IngestRun.Device> register(FlotillaAdminApi api) {
    long started = System.nanoTime();
    List<String> ids = deviceIds(settings.devices());
    api.createProfile(PROFILE, TelemetryPayload.SCHEMA);
    api.importDevices(ids, PROFILE, Map.of(TAG_KEY, TAG_VALUE));
    List<String> tokens = api.issueTokens(ids);
    List<IngestRun.Device> devices = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      devices.add(new IngestRun.Device(ids.get(i), Optional.of(new MqttLogin(ids.get(i), tokens.get(i)))));
    }
    progress.printf(Locale.ROOT, "registered profile %s (telemetry schema of %d values), %,d devices and their"
        + " tokens in %.1f s%n", PROFILE, TelemetryPayload.VALUES, ids.size(), (System.nanoTime() - started) / 1e9);
    return devices;
  }

  /**
   * Compares what the store holds, counted through the REST API, with what the devices had
   * acknowledged; returns the points stored. Holding fewer fails the run.
   */
  private long check(IngestTarget target, FlotillaAdminApi api, long acknowledged, Instant from,
      IngestResults results) {
    Instant to = Instant.now().plus(Duration.ofHours(1));
    long stored = 0;
    for (String key : List.of("temperature_c", "humidity_pct", "pressure_hpa", "battery_v")) {
      stored += api.countPoints(key, TAG_KEY, TAG_VALUE, from, to);
    }
    long expected = acknowledged * TelemetryPayload.VALUES;
    long counted = Math.round(api.metric("flotilla_telemetry_points_stored_total"));
    long rejected = Math.round(api.metric("flotilla_telemetry_rejected_total"));
    String sentence = String.format(Locale.ROOT, "%s: %,d messages acknowledged × %d values = %,d data points; the"
            + " store holds %,d (counted through the REST API; the server's points-stored counter says %,d, its"
            + " rejected counter %,d)", target.displayName(), acknowledged, TelemetryPayload.VALUES, expected, stored,
        counted, rejected);
    double commits = api.metric("flotilla_telemetry_commit_seconds_count");
    if (commits > 0) {
      String pipeline = String.format(Locale.ROOT, "%s: the server committed %,.0f batches of %,.0f points on average,"
              + " in %.1f ms each on average (its telemetry metrics)", target.displayName(), commits,
          api.metric("flotilla_telemetry_batch_points_sum") / api.metric("flotilla_telemetry_batch_points_count"),
          api.metric("flotilla_telemetry_commit_seconds_sum") * 1e3 / commits);
      results.note(pipeline);
      progress.println(pipeline);
    }
    if (stored < expected) {
      results.check(sentence + ": FAILED, " + String.format(Locale.ROOT, "%,d", expected - stored)
          + " acknowledged data points are not in the store.", false);
      progress.println(sentence + ": FAILED");
    } else if (stored > expected) {
      results.check(sentence + ": FAILED, the store holds more points than were acknowledged (duplicates?).",
          false);
      progress.println(sentence + ": FAILED");
    } else {
      results.check(sentence + ": OK.", true);
      progress.println(sentence + ": OK");
    }
    return stored;
  }

  /**
   * Full load, then paced at half its rate, then paced at half the issue's aim (50,000 points/s, where p99
   * must stay under 50 ms) unless the full load did not reach that; fails if a phase does.
   */
  private void measurePhases(IngestTarget target, IngestRun run, RunningBroker broker, ServerCpu cpu,
      IngestResults results) {
    String name = target.displayName();
    QuietWait.await(broker.pid(), settings.quietWait(), progress);
    IngestRun.Phase full = run.full(warmUp(), settings.measured(), cpu);
    if (full.acknowledged() == 0) {
      throw new IllegalStateException("no message was acknowledged in the measured window of the full load");
    }
    results.put(IngestMeasure.FULL_MESSAGES, target, full.perSecond());
    results.put(IngestMeasure.FULL_POINTS, target, full.perSecond() * TelemetryPayload.VALUES);
    results.put(IngestMeasure.FULL_P50, target, micros(full.latencies(), 50));
    results.put(IngestMeasure.FULL_P99, target, micros(full.latencies(), 99));
    full.cpu().broker().ifPresent(cores -> results.put(IngestMeasure.FULL_CPU, target,
        cores * 1e6 / full.perSecond()));
    progress.printf(Locale.ROOT, "%s: full load: %s msgs/s = %s data points/s, PUBACK p50 %s, p99 %s; %s%n", name,
        ResultTable.rate(full.perSecond()), ResultTable.rate(full.perSecond() * TelemetryPayload.VALUES),
        ResultTable.micros(micros(full.latencies(), 50)), ResultTable.micros(micros(full.latencies(), 99)),
        describe(full.cpu()));
    noteNoise(name, "full load", full.cpu(), results);

    double pace = full.perSecond() * settings.halfLoad();
    QuietWait.await(broker.pid(), settings.quietWait(), progress);
    IngestRun.Phase half = run.paced(pace, warmUp(), settings.measured(), cpu);
    if (half.acknowledged() == 0) {
      throw new IllegalStateException("no message was acknowledged in the measured window of the half load");
    }
    results.put(IngestMeasure.HALF_POINTS, target, half.perSecond() * TelemetryPayload.VALUES);
    results.put(IngestMeasure.HALF_P50, target, micros(half.latencies(), 50));
    results.put(IngestMeasure.HALF_P99, target, micros(half.latencies(), 99));
    progress.printf(Locale.ROOT, "%s: half load, paced at %s msgs/s: %s msgs/s = %s data points/s, PUBACK p50 %s,"
            + " p99 %s; %s%n", name, ResultTable.rate(pace), ResultTable.rate(half.perSecond()),
        ResultTable.rate(half.perSecond() * TelemetryPayload.VALUES), ResultTable.micros(micros(half.latencies(), 50)),
        ResultTable.micros(micros(half.latencies(), 99)), describe(half.cpu()));
    if (half.perSecond() < 0.95 * pace) {
      results.note(String.format(Locale.ROOT, "%s, half load: %s msgs/s reached of the %s paced; a device was up"
              + " to %,d messages behind its schedule", name, ResultTable.rate(half.perSecond()),
          ResultTable.rate(pace), half.maxBacklog()));
    }
    noteNoise(name, "half load", half.cpu(), results);

    double aimPace = IngestTable.POINTS_AIM / 2 / TelemetryPayload.VALUES;
    if (full.perSecond() < aimPace) {
      return;
    }
    QuietWait.await(broker.pid(), settings.quietWait(), progress);
    IngestRun.Phase atAim = run.paced(aimPace, warmUp(), settings.measured(), cpu);
    results.put(IngestMeasure.AIM_POINTS, target, atAim.perSecond() * TelemetryPayload.VALUES);
    results.put(IngestMeasure.AIM_P50, target, micros(atAim.latencies(), 50));
    results.put(IngestMeasure.AIM_P99, target, micros(atAim.latencies(), 99));
    progress.printf(Locale.ROOT, "%s: paced at %s msgs/s (the aim's half load): %s data points/s, PUBACK p50 %s,"
            + " p99 %s; %s%n", name, ResultTable.rate(aimPace), ResultTable.rate(atAim.perSecond()
            * TelemetryPayload.VALUES), ResultTable.micros(micros(atAim.latencies(), 50)),
        ResultTable.micros(micros(atAim.latencies(), 99)), describe(atAim.cpu()));
    noteNoise(name, "50,000 points/s", atAim.cpu(), results);
  }

  /** The warm-up before a phase: three times as long the first time, while the generator's own code compiles. */
  private Duration warmUp() {
    if (generatorWarm) {
      return settings.warmUp();
    }
    generatorWarm = true;
    return settings.warmUp().multipliedBy(3);
  }

  private void failed(IngestTarget target, RunningBroker broker, RuntimeException e, IngestResults results) {
    String note = target.displayName() + ": failed: " + e.getMessage()
        + (broker.process().isAlive() ? "" : "; the server exited" + broker.process().lastWords());
    if (target.stores()) {
      results.fail(note);
    } else {
      results.note(note);
    }
    progress.println(note);
  }

  /** Notes a phase during which other processes took a noticeable share of the machine. */
  private static void noteNoise(String name, String what, CpuUse cpu, IngestResults results) {
    if (cpu.noisy()) {
      results.note(String.format(Locale.ROOT, "%s, %s: other processes used %.2f cores meanwhile, so its figures"
          + " are probably low", name, what, cpu.others().getAsDouble()));
    }
  }

  private Path folder(String name) {
    try {
      return Files.createDirectories(workFolder.resolve(name));
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a folder in " + workFolder + ": " + e.getMessage(), e);
    }
  }

  private static double micros(LatencyRecorder latencies, double percentile) {
    return latencies.percentileNanos(percentile) / 1e3;
  }

  private static String cores(OptionalDouble cores) {
    return cores.isPresent() ? String.format(Locale.ROOT, "%.2f", cores.getAsDouble()) : "?";
  }

  private static String describe(CpuUse cpu) {
    return "CPU in cores: server " + cores(cpu.broker()) + ", generator " + cores(cpu.generator()) + ", others "
        + cores(cpu.others());
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }
}
