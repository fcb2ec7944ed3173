package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.store.sql.TemporaryPostgresDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

class RegistryBenchmarkIT {
  /** The benchmark runs on PostgreSQL in a database of its own, which it drops afterwards. */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void measuresPostgresInATemporaryDatabase() {
    String adminUrl = System.getProperty(TemporaryPostgresDatabase.ADMIN_URL_PROPERTY,
        TemporaryPostgresDatabase.DEFAULT_ADMIN_URL);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = new CommandLine(new RegistryBenchmark()).setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err)).execute("--engines", "postgresql", "--pg-url", adminUrl, "--devices", "1200",
            "--batch", "400", "--seconds", "1", "--warmup", "0");

    assertThat(exitCode).as("exit code; stderr:%n%s", err).isZero();
    assertThat(out.toString().lines().filter(line -> line.startsWith("| PostgreSQL"))).hasSize(4)
        .allSatisfy(line -> assertThat(RegistryBenchmarkTest.leadingNumber(line.split("\\|")[3])).isPositive());
  }

  /** An unreachable server is one clear line and exit code 2, not a stack trace. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void explainsAnUnreachableServer() {
    StringWriter err = new StringWriter();
    int exitCode = new CommandLine(new RegistryBenchmark()).setErr(new PrintWriter(err))
        .execute("--engines", "postgresql", "--pg-url", "jdbc:postgresql://127.0.0.1:1/postgres?user=postgres");
    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).contains("cannot open a fresh postgresql registry").contains("--pg-url");
  }
}
