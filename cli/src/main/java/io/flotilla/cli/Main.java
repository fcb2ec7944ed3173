package io.flotilla.cli;

import io.flotilla.tools.simulate.SimulateCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The {@code flotilla} program that {@code ./flotilla} runs. */
@Command(
    name = "flotilla",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = Main.Version.class,
    description = "Flotilla: enroll devices, take in their telemetry, keep their twins,"
        + " command and update them.",
    subcommands = {ServerCommand.class, SimulateCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  /** Exit code for a usage or configuration error the user can fix. */
  public static final int USER_ERROR = 2;

  public static void main(String... args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code; never exits the JVM. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line with the given output streams, e.g. to capture them in tests. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return commandLine(out, err).execute(args);
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new Main());
    ServerCommand.addSettingOptions(commandLine.getSubcommands().get("server").getCommandSpec());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setUsageHelpAutoWidth(true);
    commandLine.setExecutionExceptionHandler(new UserErrorHandler());
    return commandLine;
  }

  /** The version from the jar's manifest, and the Java running it. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {
          "flotilla " + (version == null ? "(development build)" : version),
          "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"};
    }
  }
}
