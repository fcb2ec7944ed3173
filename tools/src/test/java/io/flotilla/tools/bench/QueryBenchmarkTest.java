package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class QueryBenchmarkTest {
  /** Sizes that do not fit are a usage error naming the option, before any store is opened. */
  @Test
  void refusesPostgresPointsThatAreNotWholeReadings() {
    String err = refused("--engine", "postgresql", "--postgres-points", "1000001");
    assertThat(err).contains("--postgres-points must be a multiple of 4");
  }

  @Test
  void refusesTooFewPointsForTheFleet() {
    String err = refused("--engine", "duckdb", "--points", "36000", "--devices", "1000");
    assertThat(err).contains("1,000 devices over 1 day(s) need between 38,556 and").doesNotContain("opening");
  }

  @Test
  void refusesAnUnknownEngine() {
    assertThat(refused("--engine", "mysql")).contains("--engine must be duckdb, postgresql or all, was 'mysql'");
  }

  @Test
  void refusesNoMeasuredRuns() {
    assertThat(refused("--engine", "duckdb", "--repeat", "0")).contains("--repeat must be at least 1");
  }

  private static String refused(String... args) {
    StringWriter err = new StringWriter();
    int exitCode = new CommandLine(new QueryBenchmark()).setErr(new PrintWriter(err)).execute(args);
    assertThat(exitCode).as("exit code; stderr:%n%s", err).isEqualTo(QueryBenchmark.USER_ERROR);
    return err.toString();
  }
}
