package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.store.sql.TemporaryPostgresDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QueryBenchmarkIT {
  private static final String ADMIN_URL = System.getProperty(TemporaryPostgresDatabase.ADMIN_URL_PROPERTY,
      TemporaryPostgresDatabase.DEFAULT_ADMIN_URL);

  /**
   * The whole benchmark at a tiny scale on both engines: the load figures and every query's latency are
   * printed, every answer was checked, and neither the DuckDB folder nor the PostgreSQL database is left behind.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void measuresEveryQueryOnBothEnginesWithRightAnswers() throws IOException {
    List<Path> foldersBefore = scratchFolders();
    Run run = run("--engine", "all", "--points", "200000", "--postgres-points", "120000", "--devices", "1000",
        "--repeat", "3", "--warmup", "1", "--batch", "50000", "--pg-url", ADMIN_URL);

    assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.err()).isZero();
    assertThat(run.out()).startsWith("Machine: ").contains("Data set on DuckDB").contains("Data set on PostgreSQL")
        .contains("Every answer was checked against the generated data and was right.");
    List<String[]> loads = rows(run.out(), "| Points |");
    assertThat(loads).extracting(cells -> cells[1]).containsExactly("200,000", "120,000");
    for (String[] cells : loads) {
      assertThat(RegistryBenchmarkTest.leadingNumber(cells[2])).as("load rate").isPositive();
      assertThat(RegistryBenchmarkTest.leadingNumber(cells[7])).as("bytes per point").isPositive();
    }
    List<String[]> queries = rows(run.out(), "| Query |");
    assertThat(queries).hasSize(8);
    assertThat(queries).extracting(cells -> cells[1] + " → " + cells[2]).contains(
        QueryWorkload.DEVICE_DAY + " → 5,760", "latest values of every device (1,000 × 4 keys) → 4,000",
        "fleet: hourly avg of one key per site (20 sites, 1,000 devices, 1 day) → 480",
        "raw points of one device-hour, pages of 1,000 → 1,440");
    for (String[] cells : queries) {
      assertThat(RegistryBenchmarkTest.leadingNumber(cells[3])).as("p50 of %s", cells[1]).isPositive();
      assertThat(RegistryBenchmarkTest.leadingNumber(cells[5])).as("max of %s", cells[1])
          .isGreaterThanOrEqualTo(RegistryBenchmarkTest.leadingNumber(cells[3]));
      assertThat(cells[6]).isEqualTo("3");
    }
    assertThat(run.err()).contains("duckdb: p50").contains("postgresql: p50").contains("every answer right");
    assertThat(scratchFolders()).as("temporary DuckDB folders left behind").isSubsetOf(foldersBefore);
  }

  /** A kept --data-dir is loaded once and reused by the next run of the same size, which skips loading. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void reusesTheDataSetOfAKeptFolder(@TempDir Path folder) {
    String[] args = {"--engine", "duckdb", "--points", "120000", "--devices", "1000", "--repeat", "1", "--warmup",
        "0", "--data-dir", folder.resolve("kept").toString()};
    Run first = run(args);
    assertThat(first.exitCode()).as("exit code; stderr:%n%s", first.err()).isZero();
    assertThat(first.err()).contains("duckdb: appended 120,000 / 120,000 points");
    assertThat(folder.resolve("kept").resolve(QuerySavedDataSet.FILE)).isRegularFile();

    Run second = run(args);
    assertThat(second.exitCode()).as("exit code; stderr:%n%s", second.err()).isZero();
    assertThat(second.err()).contains("opening the kept data set").doesNotContain("appended");
    assertThat(second.out()).contains("reused from --data-dir").contains("Every answer was checked");

    Run other = run("--engine", "duckdb", "--points", "160000", "--devices", "1000", "--data-dir",
        folder.resolve("kept").toString());
    assertThat(other.exitCode()).isEqualTo(QueryBenchmark.USER_ERROR);
    assertThat(other.err()).contains("holds another telemetry data set").contains("--data-dir");
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = new CommandLine(new QueryBenchmark()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  /** The body rows of the Markdown table whose header contains {@code header}, split into trimmed cells. */
  private static List<String[]> rows(String out, String header) {
    List<String> lines = out.lines().toList();
    int start = lines.indexOf(lines.stream().filter(l -> l.contains(header)).findFirst().orElseThrow()) + 2;
    return lines.subList(start, lines.size()).stream().takeWhile(l -> l.startsWith("| "))
        .map(l -> Stream.of(l.substring(1, l.length() - 1).split("\\|")).map(String::strip).toArray(String[]::new))
        .toList();
  }

  private static List<Path> scratchFolders() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(p -> p.getFileName().toString().startsWith("flotilla-bench-query-")).toList();
    }
  }
}
