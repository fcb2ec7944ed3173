package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The packaged layout the launcher runs: target/flotilla.jar with its lib/ folder. */
class RunnableJarIT {
  private static final Path JAR = Path.of("target", "flotilla.jar");

  /** {@code java -jar target/flotilla.jar} finds its main class and every dependency. */
  @Test
  @Timeout(60)
  void jarRunsWithItsLibFolder() throws IOException, InterruptedException {
    assertThat(JAR).exists();
    assertThat(Path.of("target", "lib")).isDirectoryContaining("glob:**/picocli-*.jar");
    String java = ProcessHandle.current().info().command().orElse("java");

    Process process = new ProcessBuilder(java, "-jar", JAR.toString(), "server", "--help")
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("--http-port", "FLOTILLA_HTTP_PORT");
    assertThat(Files.size(JAR)).isPositive();
  }
}
