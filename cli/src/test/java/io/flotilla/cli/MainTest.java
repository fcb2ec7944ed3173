package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.server.config.Setting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
  @TempDir
  Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  /** The top-level help names the commands. */
  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).isZero();

    assertThat(out.toString()).contains("server", "simulate", "bench");
  }

  /** simulate without an admin token anywhere says where it looked and how to give one; nothing is started. */
  @Test
  void simulateWithoutAnAdminTokenIsAUserError() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("FLOTILLA_ADMIN_TOKEN") == null,
        "FLOTILLA_ADMIN_TOKEN is set, so simulate has a token");
    int code = run("simulate", "--data-dir", tmp.toString(), "--devices", "3");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("flotilla: no admin token: pass --token").contains(
        tmp.resolve("admin.token").toString());
  }

  /** Nonsense simulation options are refused by name before anything is registered. */
  @Test
  void simulateRefusesNonsenseOptionsByName() {
    assertThat(run("simulate", "--token", "t", "--devices", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--devices must be 1 to 1,000,000, was 0");
  }

  /** A server that is not there is one line saying how to start or point at one. */
  @Test
  void simulateAgainstNoServerSaysHowToStartOne() throws Exception {
    int freePort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      freePort = socket.getLocalPort();
    }
    int code = run("simulate", "--token", "t", "--server", "http://127.0.0.1:" + freePort, "--devices", "1");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("cannot reach the Flotilla server at http://127.0.0.1:" + freePort)
        .contains("./flotilla server");
  }

  /** Every setting is a flag of the server command, documented with its variable. */
  @Test
  void serverHelpListsEverySetting() {
    assertThat(run("server", "--help")).isZero();

    assertThat(out.toString()).contains("--config", "FLOTILLA_CONFIG");
    for (Setting setting : Setting.values()) {
      assertThat(out.toString()).contains(setting.flag(), setting.envVar());
    }
  }

  /** An invalid setting is one line on stderr, no stack trace, exit code 2. */
  @Test
  void invalidSettingIsOneLineAndExitCodeTwo() {
    int code = run("server", "--data-dir", tmp.toString(), "--http-port", "http");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("flotilla: Invalid http.port 'http' from flag"
        + " --http-port: must be an integer from 0 to 65535" + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
  }

  /** A config file that is not there is a user error too. */
  @Test
  void missingConfigFileIsExitCodeTwo() {
    Path missing = tmp.resolve("missing.properties");

    assertThat(run("server", "--config", missing.toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("flotilla: Config file " + missing.toAbsolutePath());
  }

  /** A misspelt flag is a usage error that suggests the right one. */
  @Test
  void unknownFlagIsUsageError() {
    assertThat(run("server", "--htp-port", "1")).isEqualTo(2);
    assertThat(err.toString()).contains("'--htp-port'", "Possible solutions: --http-port");
  }

  /** A flag given without a value keeps its meaning: --mqtt-allow-anonymous alone is true. */
  @Test
  void booleanFlagAloneMeansTrue() {
    CommandLine commandLine = Main.commandLine(new PrintWriter(out), new PrintWriter(err));
    commandLine.parseArgs("server", "--mqtt-allow-anonymous", "--http-port", "1");

    CommandLine server = commandLine.getSubcommands().get("server");
    assertThat(server.getCommandSpec().findOption("--mqtt-allow-anonymous").<String>getValue())
        .isEqualTo("true");
    assertThat(server.getCommandSpec().findOption("--http-port").<String>getValue())
        .isEqualTo("1");
  }

  /** bench without a benchmark explains itself and fails as a usage error. */
  @Test
  void benchWithoutBenchmarkIsUsageError() {
    assertThat(run("bench")).isEqualTo(2);
    assertThat(err.toString()).startsWith("flotilla: ");
  }

  /**
   * A benchmark (a picocli command in the tools module) plugs in under bench, keeping its own
   * standard help options, and bench without one lists it.
   */
  @Test
  void benchmarksPlugInUnderBench() {
    CommandLine commandLine =
        Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    commandLine.getSubcommands().get("bench").addSubcommand(new FakeBenchmark());

    assertThat(commandLine.execute("bench", "fake", "--rounds", "3")).isEqualTo(3);
    assertThat(commandLine.execute("bench", "fake", "--help")).isZero();
    assertThat(commandLine.execute("bench")).isEqualTo(2);
    assertThat(err.toString()).contains("choose a benchmark", "fake");
  }

  @CommandLine.Command(name = "fake", mixinStandardHelpOptions = true)
  static final class FakeBenchmark implements Callable<Integer> {
    @CommandLine.Option(names = "--rounds")
    int rounds;

    @Override
    public Integer call() {
      return rounds;
    }
  }

  /** --version names the Java running Flotilla, which helps when the launcher picked one. */
  @Test
  void versionNamesTheJava() {
    assertThat(run("--version")).isZero();

    assertThat(out.toString()).contains("flotilla", "Java " + Runtime.version());
  }
}
