package io.flotilla.tools.bench;

import io.flotilla.core.service.DeviceImport;
import io.flotilla.core.store.StoreException;
import io.flotilla.store.sql.TemporaryPostgresDatabase;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla bench registry}: the fleet registry's throughput through the real services and
 * stores, on each engine in turn, each on a fresh, empty registry that is deleted afterwards.
 * Progress goes to stderr, the results as a Markdown table to stdout.
 */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = {
        "Measures the device registry through its real services on SQLite and PostgreSQL: bulk creates/s,"
            + " reads by id/s and list pages/s with latency percentiles. Prints a Markdown table.",
        "Each engine gets a fresh registry (a temporary folder, a temporary database) that is deleted afterwards."})
public final class RegistryBenchmark implements Callable<Integer> {
  /** The exit code for an error the user can fix, as {@code flotilla} uses it. */
  static final int USER_ERROR = 2;

  @Spec
  CommandSpec spec;

  @Option(names = "--engines", split = ",", converter = Engine.Converter.class, defaultValue = "sqlite,postgresql",
      paramLabel = "ENGINE", description = "Engines to measure, in order: sqlite, postgresql (default: ${DEFAULT-VALUE}).")
  List<Engine> engines = new ArrayList<>();

  @Option(names = "--pg-url", defaultValue = TemporaryPostgresDatabase.DEFAULT_ADMIN_URL, paramLabel = "JDBC-URL",
      description = "A PostgreSQL database where the user may create databases; the benchmark creates its own"
          + " and drops it afterwards (default: ${DEFAULT-VALUE}).")
  String postgresAdminUrl = TemporaryPostgresDatabase.DEFAULT_ADMIN_URL;

  @Option(names = "--devices", defaultValue = "100000", description = "Devices to create (default: ${DEFAULT-VALUE}).")
  int devices;

  @Option(names = "--batch", defaultValue = "10000",
      description = "Devices per import call (default: ${DEFAULT-VALUE}; at most " + DeviceImport.MAX_ROWS + ").")
  int batch;

  @Option(names = "--threads", defaultValue = "2",
      description = "Threads that read and list concurrently (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--seconds", defaultValue = "10",
      description = "Measured seconds of each read and list measure (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--warmup", defaultValue = "2", paramLabel = "SECONDS",
      description = "Seconds of warm-up before each read and list measure, not counted (default: ${DEFAULT-VALUE}).")
  int warmUpSeconds;

  @Option(names = "--no-analyze", description = "Do not ANALYZE PostgreSQL's tables after each import call, as"
      + " autovacuum would: shows the registry on a server with autovacuum off, or before its first ANALYZE.")
  boolean noAnalyze;

  /** Runs the benchmark from a class path, without the {@code flotilla} launcher; the exit code is not passed on. */
  public static void main(String... args) {
    new CommandLine(new RegistryBenchmark()).execute(args);
  }

  @Override
  public Integer call() {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RegistryWorkload.Settings settings = new RegistryWorkload.Settings(devices, batch, threads,
        Duration.ofSeconds(warmUpSeconds), Duration.ofSeconds(seconds), !noAnalyze);
    RegistryWorkload workload = new RegistryWorkload(settings, err);
    List<Measurement> results = new ArrayList<>();
    for (Engine engine : engines) {
      err.printf("%s: opening a fresh registry%n", engine.wireName());
      ScratchRegistry registry;
      try {
        registry = ScratchRegistry.open(engine, postgresAdminUrl);
      } catch (StoreException e) {
        err.println("flotilla: cannot open a fresh " + engine.wireName() + " registry: " + e.getMessage()
            + (engine == Engine.POSTGRESQL ? " (set --pg-url, or leave postgresql out of --engines)" : ""));
        return USER_ERROR;
      }
      try (registry) {
        results.addAll(workload.run(engine, registry));
      }
    }
    out.println("Machine: " + MachineInfo.current().describe());
    out.println("Workload: " + describeWorkload());
    out.println();
    out.print(ResultTable.markdown(results));
    out.flush();
    return 0;
  }

  private String describeWorkload() {
    return String.format(Locale.ROOT, "%,d devices created through the bulk import, %,d per call; each device also"
        + " appends its hash-chained audit record in the same transaction, which is part of the real cost. %s"
        + " Reads and list pages from %d threads, %d s each after %d s of warm-up.", devices, batch,
        noAnalyze ? "No ANALYZE on PostgreSQL." : "On PostgreSQL an ANALYZE (not timed) follows each import call, as"
            + " autovacuum would.",
        threads, seconds, warmUpSeconds);
  }

  private void validate() {
    require(devices >= 1, "--devices must be at least 1, was " + devices);
    require(batch >= 1 && batch <= DeviceImport.MAX_ROWS,
        "--batch must be between 1 and " + DeviceImport.MAX_ROWS + ", was " + batch);
    require(threads >= 1, "--threads must be at least 1, was " + threads);
    require(seconds >= 1, "--seconds must be at least 1, was " + seconds);
    require(warmUpSeconds >= 0, "--warmup must not be negative, was " + warmUpSeconds);
    require(!engines.isEmpty(), "--engines must name at least one engine: sqlite, postgresql");
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}
