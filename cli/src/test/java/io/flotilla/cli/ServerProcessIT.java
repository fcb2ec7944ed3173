package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla server} as an operator runs it: a process stopped with SIGTERM. */
class ServerProcessIT {
  @TempDir
  Path dataDir;

  /** SIGTERM runs the shutdown hook, which closes the server, and the process ends. */
  @Test
  @Timeout(120)
  void serverStopsCleanlyOnSigterm() throws IOException, InterruptedException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Process server = new ProcessBuilder(java, "-jar", Path.of("target", "flotilla.jar").toString(),
        "server", "--data-dir", dataDir.toString(), "--bind-address", "127.0.0.1",
        "--http-port", String.valueOf(port), "--mqtt-port", "0", "--mqtts-port", "0", "--https-port", "0")
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("server.log").toFile())
        .start();
    try {
      awaitListening(port, Duration.ofSeconds(60));

      server.destroy();

      assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      assertThat(server.exitValue()).as("128 + SIGTERM").isEqualTo(143);
    } finally {
      server.destroyForcibly();
    }
  }

  private static void awaitListening(int port, Duration limit) throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("the server did not listen on port " + port + " within " + limit);
  }
}
