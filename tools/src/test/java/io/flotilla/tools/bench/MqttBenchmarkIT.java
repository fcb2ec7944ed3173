package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

class MqttBenchmarkIT {
  private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

  /**
   * A tiny load against a Mosquitto the benchmark starts itself gives a positive figure for every
   * measure; a broker that cannot start (here Flotilla, from a jar that does not exist) is reported
   * unavailable and the run goes on; and no process or temporary folder is left behind.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void measuresMosquittoAndReportsABrokerThatCannotStartAsUnavailable() throws IOException {
    assumeTrue(Files.isExecutable(MOSQUITTO), "Mosquitto is not installed (apt-get install mosquitto)");
    List<Path> foldersBefore = scratchFolders();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = new CommandLine(new MqttBenchmark()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("--brokers", "flotilla,mosquitto", "--flotilla-jar", "/nonexistent/flotilla.jar",
            "--connects", "300", "--tls-connects", "30", "--warmup", "0", "--seconds", "2", "--publishers", "2",
            "--subscribers", "1", "--idle", "200", "--settle", "1", "--source-addresses", "2", "--quiet-wait", "0");

    assertThat(exitCode).as("exit code; stderr:%n%s", err).isZero();
    Map<String, String[]> rows = out.toString().lines().filter(line -> line.startsWith("| ") && !line.startsWith("| Measure"))
        .map(line -> line.substring(2, line.length() - 2).split(" \\| "))
        .collect(Collectors.toMap(cells -> cells[0], Function.identity()));
    boolean tls = hasOpenssl();
    for (String measure : List.of("connects/s, plain TCP", "QoS 0 msgs/s", "QoS 0 latency p50", "QoS 0 latency p99",
        "QoS 1 msgs/s", "QoS 1 latency p99", "QoS 1 publish→PUBACK p99", "RSS per idle connection, 200")) {
      assertThat(rows).as("rows of%n%s", out).containsKey(measure);
      assertThat(rows.get(measure)[1]).as("Flotilla's %s", measure).isEqualTo("unavailable");
      assertThat(RegistryBenchmarkTest.leadingNumber(rows.get(measure)[2])).as("Mosquitto's %s", measure).isPositive();
    }
    if (tls) {
      assertThat(RegistryBenchmarkTest.leadingNumber(rows.get("connects/s, TLS (full handshake)")[2])).isPositive();
    }
    assertThat(rows.get("heap per idle connection, 200")[2]).isEqualTo("–");
    assertThat(out.toString()).contains("Brokers: Flotilla (unavailable), Mosquitto 2.")
        .contains("- Flotilla: unavailable: /nonexistent/flotilla.jar does not exist");
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .map(p -> p.info().command().orElse("?"))).as("child processes left running").isEmpty();
    assertThat(scratchFolders()).as("temporary folders left behind").isSubsetOf(foldersBefore);
  }

  private static boolean hasOpenssl() {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "openssl")));
  }

  private static List<Path> scratchFolders() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(p -> p.getFileName().toString().startsWith("flotilla-bench-mqtt")).toList();
    }
  }
}
