package io.flotilla.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla bench control}: the control plane with a fleet connected. N simulated devices (MQTT 3.1.1, their
 * own tokens) stay connected and subscribed to their twin and command topics while the benchmark measures twin
 * updates through the API (PATCH desired, the delta pushed to the online device), twin reports from devices
 * (publish to report/accepted), and direct commands (REST call → device → answer → REST response), each as a closed
 * loop. Every answer is checked: a command's result must echo its payload, a twin's version must rise.
 */
@Command(
    name = "control",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Measures twin updates/s (API and device side) and direct-command round trips/s with p50/p99 latency while"
            + " --devices simulated devices are connected to a Flotilla server of its own. Prints a Markdown table."})
public final class ControlBenchmark implements Callable<Integer> {
  private static final String PROFILE = "bench-control";
  private static final int CONNECTS_AT_ONCE = 200;

  @Spec
  CommandSpec spec;

  @Mixin
  BrokerPrograms programs;

  @Option(names = "--devices", defaultValue = "10000",
      description = "Simulated devices connected throughout (default: ${DEFAULT-VALUE}).")
  int devices;

  @Option(names = "--api-callers", defaultValue = "16",
      description = "REST callers, each waiting for its answer before the next call (default: ${DEFAULT-VALUE}).")
  int apiCallers;

  @Option(names = "--reporters", defaultValue = "200",
      description = "Devices reporting twin values, one report on its way each (default: ${DEFAULT-VALUE}).")
  int reporters;

  @Option(names = "--seconds", defaultValue = "10",
      description = "Measured seconds of each measure (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--warmup", defaultValue = "3", paramLabel = "SECONDS",
      description = "Seconds of each measure before measuring (default: ${DEFAULT-VALUE}).")
  int warmUpSeconds;

  @Option(names = "--client-threads", defaultValue = "1",
      description = "Event loop threads of the simulated devices (default: ${DEFAULT-VALUE}).")
  int clientThreads;

  /** What runs Flotilla instead of its jar: tests run the server of their own class path. */
  private Optional<FlotillaProgram> flotillaProgram = Optional.empty();

  /** Runs Flotilla as {@code program} instead of from its jar. */
  ControlBenchmark runningFlotillaAs(FlotillaProgram program) {
    this.flotillaProgram = Optional.of(program);
    return this;
  }

  /** Runs the benchmark from a class path, without the {@code flotilla} launcher; the exit code is not passed on. */
  public static void main(String... args) {
    new CommandLine(new ControlBenchmark()).execute(args);
  }

  /** One row of the results. */
  private record Row(String measure, ClosedLoop.Result result, String unit) {
  }

  @Override
  public Integer call() throws IOException {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    FlotillaLauncher launcher = programs.flotillaLauncher(flotillaProgram);
    int sources = Math.min(SourceAddresses.MAX, devices / MqttWorkload.PORTS_PER_ADDRESS + 1);
    try (BenchWorkFolder work = BenchWorkFolder.create("flotilla-bench-control", programs.keepFiles, err);
        MqttLoadClient client = new MqttLoadClient(clientThreads, SourceAddresses.loopback(sources),
            Duration.ofSeconds(30));
        RunningFlotilla server = launcher.startServer(Files.createDirectories(work.path().resolve("flotilla")),
            FlotillaOptions.devicesOnly(Map.of(), "warn"))) {
      FlotillaAdminApi api = new FlotillaAdminApi(server.httpBase(), server.adminToken());
      List<EchoDevice> fleet = connectFleet(api, client, server.broker().plainAddress(), err);
      List<Row> rows = new ArrayList<>();
      Duration warmUp = Duration.ofSeconds(warmUpSeconds);
      Duration measured = Duration.ofSeconds(seconds);

      QuietWait.await(server.broker().pid(), Duration.ofSeconds(programs.quietWaitSeconds), err);
      progress(err, "Twin updates through the API: " + apiCallers + " callers");
      long deltasBefore = fleet.stream().mapToLong(EchoDevice::deltasReceived).sum();
      ClosedLoop.Result patches = ClosedLoop.run(apiCallers, warmUp, measured, n -> {
        String id = fleet.get(ThreadLocalRandom.current().nextInt(devices)).id();
        JsonNode twin = api.patchDesired(id, Json.object().put("bench", n));
        if (twin.path("desired").path("bench").asInt(-1) != n) {
          throw new IllegalStateException("the twin of " + id + " does not hold the desired value just set: " + twin);
        }
      });
      rows.add(new Row("twin updates through the API (PATCH desired)", patches, "updates/s"));
      TimeUnit.SECONDS.sleep(2);
      long deltas = fleet.stream().mapToLong(EchoDevice::deltasReceived).sum() - deltasBefore;

      QuietWait.await(server.broker().pid(), Duration.ofSeconds(programs.quietWaitSeconds), err);
      progress(err, "Twin reports from " + reporters + " devices");
      ClosedLoop.Result reports = measureReports(fleet.subList(0, reporters), warmUp, measured);
      rows.add(new Row("twin reports from devices (report → accepted)", reports, "reports/s"));

      QuietWait.await(server.broker().pid(), Duration.ofSeconds(programs.quietWaitSeconds), err);
      progress(err, "Direct commands: " + apiCallers + " callers");
      ClosedLoop.Result commands = ClosedLoop.run(apiCallers, warmUp, measured, n -> {
        String id = fleet.get(ThreadLocalRandom.current().nextInt(devices)).id();
        ObjectNode payload = Json.object().put("n", n);
        JsonNode command = api.directCommand(id, "echo", payload, 30);
        if (!command.path("status").asText().equals("succeeded") || !command.path("result").equals(payload)) {
          throw new IllegalStateException("command " + n + " to " + id + " did not come back with its payload: "
              + command);
        }
      });
      rows.add(new Row("direct commands (REST → device → answer → REST)", commands, "round trips/s"));
      long rejected = fleet.stream().mapToLong(EchoDevice::reportsRejected).sum();
      print(out, rows, deltas, patches, rejected, server.broker().version());
      return 0;
    } catch (BrokerUnavailableException e) {
      err.println("Flotilla did not start: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("Interrupted");
      return 1;
    }
  }

  private List<EchoDevice> connectFleet(FlotillaAdminApi api, MqttLoadClient client, InetSocketAddress broker,
      PrintWriter err) throws InterruptedException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < devices; i++) {
      ids.add(String.format(Locale.ROOT, "bench-ctl-%06d", i));
    }
    api.createProfile(PROFILE, "{\"type\":\"object\"}");
    api.importDevices(ids, PROFILE, Map.of());
    progress(err, "Issuing " + devices + " device tokens");
    List<String> tokens = api.issueTokens(ids);
    progress(err, "Connecting " + devices + " devices, " + CONNECTS_AT_ONCE + " at a time");
    List<EchoDevice> fleet = new ArrayList<>();
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    Semaphore connecting = new Semaphore(CONNECTS_AT_ONCE);
    for (int i = 0; i < devices; i++) {
      EchoDevice device = new EchoDevice(ids.get(i));
      fleet.add(device);
      connecting.acquire();
      CompletableFuture<Void> subscribed = client.connect(broker, false, device.id(), 300,
              Optional.of(new MqttLogin(device.id(), tokens.get(i))), device)
          .thenCompose((Channel channel) -> device.subscribe(channel));
      subscribed.whenComplete((ok, error) -> connecting.release());
      ready.add(subscribed);
    }
    try {
      CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("not every simulated device connected and subscribed: " + e.getMessage(), e);
    }
    return fleet;
  }

  private static ClosedLoop.Result measureReports(List<EchoDevice> reporting, Duration warmUp,
      Duration measured) throws InterruptedException {
    long from = System.nanoTime() + warmUp.toNanos();
    long until = from + measured.toNanos();
    reporting.forEach(d -> d.startReporting(from, until));
    TimeUnit.NANOSECONDS.sleep(until - System.nanoTime());
    reporting.forEach(EchoDevice::stopReporting);
    LatencyRecorder all = new LatencyRecorder();
    for (EchoDevice device : reporting) {
      all.add(device.takeReportLatencies().join());
    }
    if (all.count() == 0) {
      throw new IllegalStateException("no twin report was accepted in the measured window");
    }
    long refused = reporting.stream().mapToLong(EchoDevice::reportsRejected).sum();
    return new ClosedLoop.Result(all.count(), (int) refused, measured, all,
        refused == 0 ? Optional.empty() : Optional.of(refused + " reports refused on report/rejected"));
  }

  private void print(PrintWriter out, List<Row> rows, long deltas, ClosedLoop.Result patches, long rejected,
      String version) {
    out.println("Machine: " + MachineInfo.current().describe());
    out.println(String.format(Locale.ROOT, "Server: Flotilla %s in a process of its own (-Xmx%s), embedded stores."
        + " Fleet: %,d simulated devices connected (MQTT 3.1.1, device tokens, one generator process with %d event"
        + " loop thread%s), each subscribed to its command and twin topics and answering every command at once. API:"
        + " %d REST callers, one call at a time each, on random devices. Device reports: %d devices, one report on"
        + " its way each. Each measure %d s after %d s of warm-up.", version, programs.brokerHeap, devices,
        clientThreads, clientThreads == 1 ? "" : "s", apiCallers, reporters, seconds, warmUpSeconds));
    out.println();
    out.println("| Measure | rate | p50 | p99 | failed |");
    out.println("|---|---:|---:|---:|---:|");
    for (Row row : rows) {
      ClosedLoop.Result r = row.result();
      out.println(String.format(Locale.ROOT, "| %s | %,.0f %s | %.1f ms | %.1f ms | %d |", row.measure(),
          r.perSecond(), row.unit(), r.latencies().percentileNanos(50) / 1e6,
          r.latencies().percentileNanos(99) / 1e6, r.failed()));
    }
    out.println();
    out.println(String.format(Locale.ROOT, "Deltas pushed to the devices during the API twin updates (warm-up"
        + " included): %,d for %,d updates measured; twin reports refused: %d.", deltas, patches.completed(),
        rejected));
    out.flush();
  }

  private static void progress(PrintWriter err, String line) {
    err.println(line);
    err.flush();
  }

  private void validate() {
    String problem = programs.problem();
    require(problem == null, problem);
    require(devices >= 1 && devices <= 100_000, "--devices must be between 1 and 100000, was " + devices);
    require(apiCallers >= 1 && apiCallers <= 1_000, "--api-callers must be between 1 and 1000, was " + apiCallers);
    require(reporters >= 1 && reporters <= devices, "--reporters must be between 1 and --devices, was " + reporters);
    require(seconds >= 1, "--seconds must be at least 1, was " + seconds);
    require(warmUpSeconds >= 0, "--warmup must not be negative, was " + warmUpSeconds);
    require(clientThreads >= 1, "--client-threads must be at least 1, was " + clientThreads);
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}
