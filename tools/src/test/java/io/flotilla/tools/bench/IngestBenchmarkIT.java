package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

class IngestBenchmarkIT {
  private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
  private static final Pattern STORED = Pattern.compile("- Flotilla \\+ DuckDB: ([\\d,]+) messages acknowledged × 4"
      + " values = ([\\d,]+) data points; the store holds ([\\d,]+) .*: OK\\.");

  /**
   * A tiny load on Flotilla with DuckDB (the server of this build, in a process of its own, its
   * devices logging in with their tokens) and, where it is installed, on Mosquitto: every figure is
   * there, the store holds exactly the data points the devices had acknowledged, and no process or
   * temporary folder is left behind.
   */
  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void storesEveryAcknowledgedPointAndMeasuresThePeerUnderTheSameLoad() throws IOException {
    boolean mosquitto = Files.isExecutable(MOSQUITTO);
    List<Path> foldersBefore = scratchFolders();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    IngestBenchmark benchmark = new IngestBenchmark().runningFlotillaAs(FlotillaProgram.classPath(
        System.getProperty("java.class.path"), ClassPathServer.class.getName()));
    int exitCode = new CommandLine(benchmark).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(
        "--devices", "3", "--engine", "duckdb", "--peers", mosquitto ? "mosquitto" : "none", "--window", "8",
        "--duration", "2", "--warmup", "0", "--quiet-wait", "0", "--broker-heap", "512m");

    assertThat(exitCode).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();
    Map<String, String[]> rows = out.toString().lines()
        .filter(line -> line.startsWith("| ") && !line.startsWith("| Measure"))
        .map(line -> line.substring(2, line.length() - 2).split(" \\| "))
        .collect(Collectors.toMap(cells -> cells[0], Function.identity()));
    List<IngestMeasure> everyTarget = List.of(IngestMeasure.FULL_MESSAGES, IngestMeasure.FULL_POINTS,
        IngestMeasure.FULL_P50, IngestMeasure.FULL_P99, IngestMeasure.HALF_POINTS, IngestMeasure.HALF_P50,
        IngestMeasure.HALF_P99);
    for (IngestMeasure measure : everyTarget) {
      assertThat(rows).as("rows of%n%s", out).containsKey(measure.label());
      assertThat(RegistryBenchmarkTest.leadingNumber(rows.get(measure.label())[1])).as("DuckDB's %s", measure.label())
          .isPositive();
      if (mosquitto) {
        assertThat(RegistryBenchmarkTest.leadingNumber(rows.get(measure.label())[2]))
            .as("Mosquitto's %s", measure.label()).isPositive();
      }
    }
    assertThat(RegistryBenchmarkTest.leadingNumber(rows.get(IngestMeasure.DISK_PER_POINT.label())[1])).isPositive();
    assertThat(rows.get(IngestMeasure.HEAP_PER_POINT.label())[1]).endsWith(" B");
    if (mosquitto) {
      assertThat(rows.get(IngestMeasure.DISK_PER_POINT.label())[2]).isEqualTo("–");
    }

    Matcher stored = STORED.matcher(out.toString());
    assertThat(stored.find()).as("the check of the stored points in%n%s", out).isTrue();
    long acknowledged = number(stored.group(1));
    assertThat(acknowledged).isPositive();
    assertThat(number(stored.group(2))).isEqualTo(acknowledged * TelemetryPayload.VALUES);
    assertThat(number(stored.group(3))).as("points in the store").isEqualTo(acknowledged * TelemetryPayload.VALUES);
    assertThat(out.toString()).contains("Machine: ").contains("Targets: Flotilla + DuckDB ")
        .contains("Aim, at least 100,000 data points/s stored durably");

    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .map(p -> p.info().command().orElse("?"))).as("child processes left running").isEmpty();
    assertThat(scratchFolders()).as("temporary folders left behind").isSubsetOf(foldersBefore);
  }

  private static long number(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }

  private static List<Path> scratchFolders() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return new ArrayList<>(files.filter(p -> p.getFileName().toString().startsWith("flotilla-bench-ingest"))
          .toList());
    }
  }
}
