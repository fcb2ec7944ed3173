package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

class ControlBenchmarkIT {
  /**
   * A tiny fleet against the server of this build: every measure has a rate and latencies, no call failed (a command
   * whose result does not echo its payload, or a twin that does not hold the value just set, counts as failed),
   * deltas reached the devices, and nothing is left running.
   */
  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void measuresTwinUpdatesReportsAndDirectCommandsWithAConnectedFleet() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ControlBenchmark benchmark = new ControlBenchmark().runningFlotillaAs(FlotillaProgram.classPath(
        System.getProperty("java.class.path"), ClassPathServer.class.getName()));
    int exitCode = new CommandLine(benchmark).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(
        "--devices", "30", "--api-callers", "2", "--reporters", "5", "--seconds", "2", "--warmup", "0",
        "--quiet-wait", "0", "--broker-heap", "512m");

    assertThat(exitCode).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();
    List<String[]> rows = out.toString().lines().filter(l -> l.startsWith("| twin") || l.startsWith("| direct"))
        .map(l -> l.substring(2, l.length() - 2).split(" \\| ")).toList();
    assertThat(rows).as("rows of%n%s", out).hasSize(3);
    for (String[] row : rows) {
      assertThat(RegistryBenchmarkTest.leadingNumber(row[1])).as("rate of %s", row[0]).isPositive();
      assertThat(row[4]).as("failed calls of %s", row[0]).isEqualTo("0");
    }
    assertThat(out.toString()).containsPattern("Deltas pushed to the devices .*: [1-9][\\d,]* for")
        .contains("twin reports refused: 0");
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .map(p -> p.info().command().orElse("?"))).as("child processes left running").isEmpty();
  }
}
