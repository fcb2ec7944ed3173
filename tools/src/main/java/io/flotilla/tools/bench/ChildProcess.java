package io.flotilla.tools.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A broker running as a process of its own, its output going to a log file. It starts through
 * {@code /bin/sh}, which raises the soft limit on open files to the hard limit ({@code ulimit -n
 * $(ulimit -Hn)}) and then replaces itself with the broker, so the process id is the broker's.
 * Closing it sends SIGTERM, then SIGKILL after a grace period; a JVM shutdown hook kills whatever
 * is still running if the benchmark is interrupted.
 */
final class ChildProcess implements AutoCloseable {
  private static final String RAISE_FILE_LIMIT = "ulimit -n \"$(ulimit -Hn)\" 2>/dev/null; exec \"$@\"";
  private static final Duration GRACE = Duration.ofSeconds(15);
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
  /** Flotilla's API tokens, which a failure message must never repeat. */
  private static final Pattern TOKEN = Pattern.compile("flt_[A-Za-z0-9_-]+");

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
        "flotilla-bench-children"));
  }

  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} with these extra environment variables, its output going to {@code log}. */
  static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path log)
      throws BrokerUnavailableException {
    List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", RAISE_FILE_LIMIT, name));
    wrapped.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(wrapped).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      RUNNING.add(process);
      return new ChildProcess(name, process, log);
    } catch (IOException e) {
      throw new BrokerUnavailableException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until something accepts TCP connections on {@code port} of 127.0.0.1, or fails with the reason. */
  void awaitPort(int port, Duration timeout) throws BrokerUnavailableException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new BrokerUnavailableException(name + " exited with code " + process.exitValue() + lastWords());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 250);
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() - deadline > 0) {
          throw new BrokerUnavailableException(name + " started, but nothing accepted connections on port " + port
              + " within " + timeout.toSeconds() + " s" + lastWords());
        }
        sleep(Duration.ofMillis(100));
      }
    }
  }

  /** The first group of the first log line {@code pattern} finds, waiting up to {@code timeout} for it. */
  Optional<String> awaitLogLine(Pattern pattern, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      Matcher m = pattern.matcher(logText());
      if (m.find()) {
        return Optional.of(m.groupCount() > 0 ? m.group(1) : m.group());
      }
      sleep(Duration.ofMillis(100));
    } while (process.isAlive() && System.nanoTime() - deadline < 0);
    return Optional.empty();
  }

  /** The last lines of the log, to explain a failure: {@code ": last output: …"}, or nothing. */
  String lastWords() {
    List<String> lines = logText().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    if (lines.isEmpty()) {
      return "";
    }
    return "; last output: " + TOKEN.matcher(String.join(" / ", lines.subList(Math.max(0, lines.size() - 3),
        lines.size()))).replaceAll("flt_…");
  }

  private String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  /** Stops the process: SIGTERM, then SIGKILL if it has not exited within the grace period. Idempotent. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      RUNNING.remove(process);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a broker", e);
    }
  }
}
