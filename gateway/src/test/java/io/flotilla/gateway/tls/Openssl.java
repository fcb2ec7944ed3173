package io.flotilla.gateway.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the openssl command line tool, as device developers and operators would. */
final class Openssl {
  private Openssl() {}

  /** What openssl printed (stdout and stderr together) and how it ended. */
  record Result(int exitCode, String output) {}

  /** Runs {@code openssl args...} with {@code input} on stdin, in {@code directory}; fails after 20 s. */
  static Result run(Path directory, String input, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
    process.getOutputStream().close();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("openssl " + String.join(" ", args) + " did not end within 20 s");
    }
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** Runs openssl and fails the test unless it succeeds. */
  static String ok(Path directory, String... args) throws IOException, InterruptedException {
    Result result = run(directory, "", args);
    if (result.exitCode() != 0) {
      throw new AssertionError("openssl " + String.join(" ", args) + " failed:\n" + result.output());
    }
    return result.output();
  }
}
