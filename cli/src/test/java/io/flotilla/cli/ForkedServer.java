package io.flotilla.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar target/flotilla.jar server} in a process of its own, so that a test can kill it with SIGKILL
 * and start it again on the same data folder and the same ports. Every start appends to one log file.
 */
final class ForkedServer implements AutoCloseable {
  private static final Path JAR = Path.of("target", "flotilla.jar");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path dataDir;
  private final Path log;
  private final String adminToken;
  private final int httpPort;
  private final int mqttPort;
  /** Kills the server if the test JVM exits first (a build stopped with Ctrl-C), so that no server is orphaned. */
  private final Thread killOnExit = new Thread(this::destroy, "kill-forked-server");
  private volatile Process process;

  private ForkedServer(Path dataDir, String adminToken, int httpPort, int mqttPort) {
    this.dataDir = dataDir;
    this.log = dataDir.resolve("server.log");
    this.adminToken = adminToken;
    this.httpPort = httpPort;
    this.mqttPort = mqttPort;
  }

  /**
   * Starts a server on {@code dataDir} with two free ports chosen now, kept for every restart, and waits
   * until it is ready.
   */
  static ForkedServer start(Path dataDir, String adminToken, Duration readyWithin) {
    int[] ports = freePorts(2);
    ForkedServer server = new ForkedServer(dataDir, adminToken, ports[0], ports[1]);
    Runtime.getRuntime().addShutdownHook(server.killOnExit);
    try {
      server.startProcess(readyWithin);
    } catch (RuntimeException | AssertionError notStarted) {
      server.close();
      throw notStarted;
    }
    return server;
  }

  int httpPort() {
    return httpPort;
  }

  int mqttPort() {
    return mqttPort;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. Returns once the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the server process " + process.pid() + " did not die within 30 s of SIGKILL");
    }
    if (process.exitValue() != 128 + 9) {
      throw new AssertionError("the server process ended with " + process.exitValue() + ", not by SIGKILL");
    }
  }

  /** Starts the server again on the same data folder and ports, and waits until it is ready. */
  void restart(Duration readyWithin) {
    if (process.isAlive()) {
      throw new IllegalStateException("the server is still running; kill it first");
    }
    startProcess(readyWithin);
  }

  /** The last lines of the log of every start, to print when a test fails. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no server log: " + e.getMessage() + ")";
    }
  }

  /** The warnings and errors the server logged in all its runs, for the test's summary. */
  List<String> logProblems() {
    List<String> problems = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.contains(" ERROR ") || line.contains(" WARN ")) {
          problems.add(line);
        }
      }
    } catch (IOException e) {
      problems.add("(no server log: " + e.getMessage() + ")");
    }
    return problems;
  }

  @Override
  public void close() {
    destroy();
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to; it does the same.
    }
  }

  private void destroy() {
    Process running = process;
    if (running != null && running.isAlive()) {
      running.destroyForcibly();
      try {
        running.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void startProcess(Duration readyWithin) {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString(), "server",
        "--data-dir", dataDir.toString(), "--bind-address", "127.0.0.1",
        "--http-port", String.valueOf(httpPort), "--mqtt-port", String.valueOf(mqttPort), "--mqtts-port", "0", "--https-port", "0")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> environment = builder.environment();
    // Settings of whoever runs the build must not leak into the server under test.
    environment.keySet().removeIf(name -> name.startsWith("FLOTILLA_"));
    environment.put("FLOTILLA_ADMIN_TOKEN", adminToken);
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitReady(readyWithin);
  }

  /** Ready means both doors are open: /health/ready answers 200 and the MQTT port accepts connections. */
  private void awaitReady(Duration limit) {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("the server ended with " + process.exitValue() + " while starting:\n" + logTail(40));
      }
      if (healthReady() && accepts(mqttPort)) {
        return;
      }
      pause(Duration.ofMillis(100));
    }
    throw new AssertionError("the server was not ready within " + limit + ":\n" + logTail(40));
  }

  private boolean healthReady() {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
        .timeout(Duration.ofSeconds(5)).build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notYet) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** Distinct free ports: the probes stay open together so that the system cannot hand out one twice. */
  private static int[] freePorts(int count) {
    List<ServerSocket> probes = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        probes.add(new ServerSocket(0));
      }
      return probes.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket probe : probes) {
        try {
          probe.close();
        } catch (IOException ignored) {
          // a probe that cannot close still gave its port number
        }
      }
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
