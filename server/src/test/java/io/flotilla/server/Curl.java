package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The curl command, as an HTTP device or an operator's script would run it. */
final class Curl {
  private Curl() {}

  /** What curl printed (the body, then the status code on the last line) and its exit code. */
  record Run(int exitCode, String body, int status) {}

  /** Runs curl with {@code arguments}, silently, printing the HTTP status after the body. */
  static Run run(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-w", "\n%{http_code}"));
    command.addAll(List.of(arguments));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("curl finished").isTrue();
    int newline = output.lastIndexOf('\n');
    String statusText = output.substring(newline + 1).strip();
    return new Run(p.exitValue(), newline < 0 ? "" : output.substring(0, newline),
        statusText.matches("\\d{3}") ? Integer.parseInt(statusText) : -1);
  }
}
