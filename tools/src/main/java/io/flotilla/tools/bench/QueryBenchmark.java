package io.flotilla.tools.bench;

import io.flotilla.core.store.StoreException;
import io.flotilla.store.sql.TemporaryPostgresDatabase;
import io.flotilla.store.timeseries.TelemetryStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla bench query}: telemetry queries over a large stored fleet, on the embedded engine
 * (DuckDB) and on PostgreSQL, through the {@code TelemetryStore} port in this process, as the server's
 * telemetry service calls it. Progress goes to stderr, the results as Markdown tables to stdout.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Measures telemetry queries over a stored fleet: one device-day at 1-minute buckets, the latest values of"
            + " every device, an hourly fleet aggregate per site, and a device-hour of raw points. Prints the load"
            + " rate, disk bytes per point and each query's latency percentiles as Markdown tables.",
        "DuckDB gets 100 million points in a temporary folder (or --data-dir), PostgreSQL 10 million in a database"
            + " the benchmark creates and drops. Every answer is checked against the generated data; a wrong one"
            + " fails the run."})
public final class QueryBenchmark implements Callable<Integer> {
  /** The exit code for an error the user can fix, as {@code flotilla} uses it. */
  static final int USER_ERROR = 2;
  /** The exit code when a store answered a query wrongly. */
  static final int WRONG_ANSWER = 1;
  /** Disk space asked for per point before loading: DuckDB keeps about 15 bytes, its WAL and checkpoints more. */
  private static final long SPACE_PER_POINT = 40;

  @Spec
  CommandSpec spec;

  @Option(names = "--engine", defaultValue = "all", paramLabel = "ENGINE",
      description = "duckdb, postgresql or all (default: ${DEFAULT-VALUE}).")
  String engine;

  @Option(names = "--points", defaultValue = "100000000", paramLabel = "POINTS",
      description = "Points stored in DuckDB, a multiple of 4 (default: ${DEFAULT-VALUE}).")
  long points;

  @Option(names = "--postgres-points", defaultValue = "10000000", paramLabel = "POINTS",
      description = "Points stored in PostgreSQL, a multiple of 4 (default: ${DEFAULT-VALUE}).")
  long postgresPoints;

  @Option(names = "--devices", defaultValue = "100000", paramLabel = "DEVICES",
      description = "Devices in the fleet; every 1000th reports every 10 s (default: ${DEFAULT-VALUE}).")
  int devices;

  @Option(names = "--days", defaultValue = "1", paramLabel = "DAYS",
      description = "Days the points cover, ending at the last UTC midnight; queries read the last day"
          + " (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--repeat", defaultValue = "10", paramLabel = "RUNS",
      description = "Measured runs of each query, each on another device or key (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--warmup", defaultValue = "2", paramLabel = "RUNS",
      description = "Runs of each query before the measured ones, not counted (default: ${DEFAULT-VALUE}).")
  int warmUp;

  @Option(names = "--batch", defaultValue = "500000", paramLabel = "POINTS",
      description = "Points per TelemetryStore.append call while loading (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--data-dir", paramLabel = "FOLDER",
      description = "Keep DuckDB's data set in this folder, and reuse it when it already holds one of the same"
          + " size (default: a temporary folder, deleted at the end).")
  Optional<Path> dataDir = Optional.empty();

  @Option(names = "--pg-url", defaultValue = TemporaryPostgresDatabase.DEFAULT_ADMIN_URL, paramLabel = "JDBC-URL",
      description = "A PostgreSQL database where the user may create databases; the benchmark creates its own"
          + " and drops it afterwards (default: ${DEFAULT-VALUE}).")
  String postgresAdminUrl = TemporaryPostgresDatabase.DEFAULT_ADMIN_URL;

  /** Runs the benchmark from a class path, without the {@code flotilla} launcher; the exit code is not passed on. */
  public static void main(String... args) {
    new CommandLine(new QueryBenchmark()).execute(args);
  }

  @Override
  public Integer call() {
    List<QueryEngine> engines = validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    QueryWorkload workload = new QueryWorkload(new QueryWorkload.Settings(warmUp, repeat, batch), err);
    long started = System.nanoTime();
    Optional<String> loadBefore = loadAverage();
    List<EngineFigures> figures = new ArrayList<>();
    for (QueryEngine e : engines) {
      try {
        figures.add(run(e, workload, err));
      } catch (UserError ex) {
        err.println("flotilla: " + ex.getMessage());
        return USER_ERROR;
      } catch (QueryWrongAnswer wrong) {
        err.println("flotilla: " + e.wireName() + " answered a query wrongly, so its figures would mean nothing: "
            + wrong.getMessage());
        return WRONG_ANSWER;
      }
    }
    out.println("Machine: " + MachineInfo.current().describe());
    loadBefore.ifPresent(before -> out.println("Load average (1 min) of the machine: " + before + " at the start, "
        + loadAverage().orElse("?") + " at the end; other work on the machine lowers every figure."));
    figures.forEach(f -> out.println("Data set on " + f.label() + ": " + f.data().describe()));
    out.println(describeRuns(figures.stream().anyMatch(f -> f.load().reused())));
    out.println();
    out.print(QueryResultTable.loads(figures.stream().map(EngineFigures::label).toList(),
        figures.stream().map(EngineFigures::load).toList()));
    out.println();
    out.print(QueryResultTable.queries(figures.stream().flatMap(f -> f.results().stream()).toList()));
    out.println();
    out.printf(Locale.ROOT, "Every answer was checked against the generated data and was right. Whole run: %s.%n",
        QueryResultTable.seconds((System.nanoTime() - started) / 1e9));
    out.flush();
    return 0;
  }

  /** What one engine measured: its name and version, its data set, the load and each query. */
  private record EngineFigures(String label, QueryDataSet data, QueryLoad load, List<QueryResult> results) {}

  /** A problem the user can fix, explained in the message. */
  private static final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserError(String message) {
      super(message);
    }
  }

  /** Opens the engine's store, loads (or reuses) its data set, measures every query and deletes the store. */
  private EngineFigures run(QueryEngine engine, QueryWorkload workload, PrintWriter err) {
    String name = engine.wireName();
    long enginePoints = engine == QueryEngine.DUCKDB ? points : postgresPoints;
    Optional<QuerySavedDataSet> saved = engine == QueryEngine.DUCKDB
        ? dataDir.flatMap(QuerySavedDataSet::read).filter(s -> s.matches(enginePoints, devices, days))
        : Optional.empty();
    if (engine == QueryEngine.DUCKDB && saved.isEmpty()) {
      checkFolder(enginePoints).ifPresent(problem -> {
        throw new UserError(problem);
      });
    }
    err.printf("%s: opening %s%n", name, saved.isPresent() ? "the kept data set in " + dataDir.orElseThrow()
        : "a fresh store");
    err.flush();
    QueryScratchStore scratch;
    try {
      scratch = engine == QueryEngine.DUCKDB ? QueryScratchStore.duckDb(dataDir)
          : QueryScratchStore.postgres(postgresAdminUrl);
    } catch (StoreException | UncheckedIOException e) {
      throw new UserError("cannot open a fresh " + name + " telemetry store: " + e.getMessage()
          + (engine == QueryEngine.POSTGRESQL ? " (set --pg-url, or run --engine duckdb)" : ""));
    }
    try (scratch) {
      QueryDataSet data = saved.map(QuerySavedDataSet::data)
          .orElseGet(() -> QueryDataSet.endingYesterday(enginePoints, devices, days));
      err.printf("%s: %s%n", name, data.describe());
      QueryLoad load;
      if (saved.isPresent()) {
        load = saved.get().load().reusedWith(scratch.store().diskBytes());
      } else {
        load = workload.load(name, scratch.store(), data);
        if (engine == QueryEngine.DUCKDB && dataDir.isPresent()) {
          new QuerySavedDataSet(data, load).write(dataDir.get());
        }
      }
      return new EngineFigures(scratch.label(), data, load,
          workload.measure(name, scratch.label(), scratch.store(), data));
    }
  }

  private String describeRuns(boolean reused) {
    return String.format(Locale.ROOT, "Loaded through TelemetryStore.append, %,d points per call, in the order a"
        + " server receives them (by reading time across the fleet); the rate counts time in append only."
        + " Then compact() (DuckDB CHECKPOINT, PostgreSQL VACUUM ANALYZE) before measuring disk.%s"
        + " Queries run one at a time on the raw tier, as the telemetry service asks for recent data: %d warm-up"
        + " and %d measured runs each, each on another dense device (or key, for the fleet); under 100 runs, p99 is"
        + " the slowest run.", batch,
        reused ? " The DuckDB data set was reused from --data-dir; its load figures are those of the run that"
            + " loaded it." : "",
        warmUp, repeat);
  }

  /**
   * Refuses to load DuckDB's data set where there is no room for it, or into a kept folder that holds
   * another one (or a load that did not finish).
   */
  private Optional<String> checkFolder(long enginePoints) {
    Path folder = dataDir.orElse(Path.of(System.getProperty("java.io.tmpdir")));
    if (dataDir.isPresent() && Files.exists(folder.resolve(TelemetryStores.DEFAULT_FILE))) {
      return Optional.of(folder + " holds another telemetry data set, or one whose load did not finish ("
          + QuerySavedDataSet.FILE + " is missing or does not match --points, --devices and --days): delete the"
          + " folder or choose another --data-dir");
    }
    try {
      Path existing = folder;
      while (!Files.exists(existing) && existing.toAbsolutePath().getParent() != null) {
        existing = existing.toAbsolutePath().getParent();
      }
      long usable = Files.getFileStore(existing).getUsableSpace();
      long needed = enginePoints * SPACE_PER_POINT;
      if (usable < needed) {
        return Optional.of(String.format(Locale.ROOT, "%s has %s free, and %,d points need about %s: free some"
            + " space, choose another --data-dir, or lower --points", folder, QueryResultTable.bytes(usable),
            enginePoints, QueryResultTable.bytes(needed)));
      }
    } catch (IOException e) {
      // the space cannot be told; go ahead and let a full disk speak for itself
    }
    return Optional.empty();
  }

  /** The first figure of {@code /proc/loadavg}, where there is one. */
  private static Optional<String> loadAverage() {
    try {
      return Optional.of(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private List<QueryEngine> validate() {
    List<QueryEngine> engines = QueryEngine.parse(engine).orElseThrow(() -> new ParameterException(
        spec.commandLine(), "--engine must be duckdb, postgresql or all, was '" + engine + "'"));
    for (QueryEngine e : engines) {
      QueryDataSet.problem(e == QueryEngine.DUCKDB ? points : postgresPoints, devices, days).ifPresent(problem -> {
        throw new ParameterException(spec.commandLine(), e == QueryEngine.DUCKDB ? problem
            : problem.replace("--points", "--postgres-points"));
      });
    }
    require(repeat >= 1, "--repeat must be at least 1, was " + repeat);
    require(warmUp >= 0, "--warmup must not be negative, was " + warmUp);
    require(batch >= 1_000 && batch <= 10_000_000, "--batch must be between 1000 and 10000000, was " + batch);
    return engines;
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}
