package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

class IdentityBenchmarkIT {
  private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
  private static final Pattern ISSUANCE = Pattern.compile("Certificate issuance from a CSR .*: ([\\d,]+)/s");

  /**
   * A tiny run: devices get certificates of the tenant CA from their CSRs, then connect over mutual TLS to the
   * server of this build and, where it is installed, to Mosquitto requiring the same CA; every connection succeeds
   * (a refused certificate would count as failed and fail the run), a batch of devices provisions itself with a claim
   * certificate, and nothing is left running.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void issuesCertificatesAndConnectsEveryDeviceOverMutualTls() {
    boolean mosquitto = Files.isExecutable(MOSQUITTO);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    IdentityBenchmark benchmark = new IdentityBenchmark().runningFlotillaAs(FlotillaProgram.classPath(
        System.getProperty("java.class.path"), ClassPathServer.class.getName()));
    int exitCode = new CommandLine(benchmark).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(
        "--devices", "6", "--connects", "30", "--connect-concurrency", "2", "--warmup", "0", "--quiet-wait", "0",
        "--peers", mosquitto ? "mosquitto" : "none", "--claims", "8", "--broker-heap", "512m");

    assertThat(exitCode).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();
    Matcher issuance = ISSUANCE.matcher(out.toString());
    assertThat(issuance.find()).as("issuance rate in%n%s", out).isTrue();
    assertThat(Double.parseDouble(issuance.group(1).replace(",", ""))).isPositive();
    List<String[]> rows = out.toString().lines().filter(l -> l.startsWith("| Flotilla") || l.startsWith("| Mosquitto"))
        .map(l -> l.substring(2, l.length() - 2).split(" \\| ")).toList();
    assertThat(rows).as("rows of%n%s", out).hasSize(mosquitto ? 2 : 1);
    for (String[] row : rows) {
      assertThat(RegistryBenchmarkTest.leadingNumber(row[1])).as("connects/s of %s", row[0]).isPositive();
      assertThat(row[4]).as("failed connections of %s", row[0]).isEqualTo("0");
    }
    assertThat(out.toString()).as("every device of the batch provisioned by claim")
        .containsPattern("Provisioning by claim, end to end .*: [\\d,.]+ devices/s, .*, 0 failed");
    if (mosquitto) {
      assertThat(out.toString()).contains("Flotilla/Mosquitto: ");
    }
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .map(p -> p.info().command().orElse("?"))).as("child processes left running").isEmpty();
  }
}
