package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

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
import picocli.CommandLine;

class RegistryBenchmarkTest {
  /** The whole benchmark runs on a tiny SQLite fleet and prints a positive figure for every measure. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void printsATableWithPositiveFiguresForEveryMeasure() throws IOException {
    List<Path> foldersBefore = scratchFolders();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = new CommandLine(new RegistryBenchmark()).setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err))
        .execute("--engines", "sqlite", "--devices", "2000", "--batch", "500", "--seconds", "1", "--warmup", "0");

    assertThat(exitCode).as("exit code; stderr:%n%s", err).isZero();
    assertThat(err.toString()).contains("sqlite: imported 2,000 / 2,000 devices");
    assertThat(out.toString()).startsWith("Machine: ").contains("| Engine | Measure | Throughput | p50 | p99 |");
    List<String[]> rows = out.toString().lines().filter(line -> line.startsWith("| SQLite"))
        .map(line -> line.substring(1, line.length() - 1).split("\\|")).toList();
    assertThat(rows).extracting(cells -> cells[1].strip()).containsExactly(RegistryWorkload.BULK_CREATE,
        RegistryWorkload.GET_BY_ID, RegistryWorkload.FILTERED_LIST, RegistryWorkload.FULL_LIST);
    for (String[] cells : rows) {
      assertThat(leadingNumber(cells[2])).as("throughput in %s", String.join("|", cells)).isPositive();
    }
    for (String[] cells : rows.subList(1, rows.size())) {
      assertThat(leadingNumber(cells[3])).as("p50 in %s", String.join("|", cells)).isPositive();
      assertThat(leadingNumber(cells[4])).as("p99 in %s", String.join("|", cells)).isPositive();
    }
    assertThat(scratchFolders()).as("temporary SQLite folders left behind").isSubsetOf(foldersBefore);
  }

  /** A bad option is a usage error that names the option, before anything is created. */
  @Test
  void refusesABatchLargerThanTheImportAllows() {
    StringWriter err = new StringWriter();
    int exitCode = new CommandLine(new RegistryBenchmark()).setErr(new PrintWriter(err))
        .execute("--engines", "sqlite", "--batch", "100001");
    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).contains("--batch must be between 1 and 100000");
  }

  @Test
  void refusesAnUnknownEngine() {
    StringWriter err = new StringWriter();
    int exitCode = new CommandLine(new RegistryBenchmark()).setErr(new PrintWriter(err))
        .execute("--engines", "sqlite,mysql");
    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).contains("'mysql' is not an engine; use sqlite or postgresql");
  }

  static double leadingNumber(String cell) {
    return Double.parseDouble(cell.strip().split(" ")[0].replace(",", ""));
  }

  private static List<Path> scratchFolders() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(p -> p.getFileName().toString().startsWith("flotilla-bench-")).toList();
    }
  }
}
