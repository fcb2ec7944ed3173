package io.flotilla.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk buffer through a restart of the device process: a forked JVM ({@link BufferingDevice}) is
 * killed with SIGKILL while it buffers, and a new process on the same buffer folder delivers every
 * message the first one had accepted — checked through the server's telemetry API.
 */
@Timeout(180)
class DeviceRestartIT {
  @TempDir
  Path dataDir;
  @TempDir
  Path bufferDir;
  PlatformServer platform;
  String token;
  final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void start() {
    platform = new PlatformServer(dataDir);
    token = platform.registerDevice("counter", null, "c-1");
  }

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
    platform.close();
  }

  /** Killed while the server is away, every accepted message is delivered exactly once by the next process. */
  @Test
  void messagesAcceptedBeforeSigkillDuringACutAreDeliveredByTheNextProcess() throws Exception {
    platform.stop();
    Child first = fork(1, 100_000);
    long lastSeen = first.awaitAccepted(300);
    first.kill();

    platform.restart();
    Child second = fork(1, 0);
    long pending = second.pendingAtStart();
    second.awaitLine("flushed");
    assertThat(pending).isGreaterThanOrEqualTo(lastSeen);

    List<Long> stored = storedSeqs();
    assertThat(stored).containsExactlyElementsOf(LongStream.rangeClosed(1, pending).boxed().toList());
  }

  /**
   * Killed while sending (PUBACKs in flight), nothing accepted is lost: every accepted seq is stored, some
   * perhaps twice (QoS 1 is at least once), and nothing else.
   */
  @Test
  void messagesAcceptedBeforeSigkillWhileSendingAreAllStored() throws Exception {
    Child first = fork(1, 100_000);
    long lastSeen = first.awaitAccepted(1500);
    first.kill();

    Child second = fork(1_000_000, 0);
    long pending = second.pendingAtStart();
    second.awaitLine("flushed");

    List<Long> stored = storedSeqs();
    TreeSet<Long> distinct = new TreeSet<>(stored);
    long lastAccepted = distinct.isEmpty() ? 0 : distinct.last();
    assertThat(lastAccepted).isGreaterThanOrEqualTo(lastSeen);
    assertThat(distinct).containsExactlyElementsOf(LongStream.rangeClosed(1, lastAccepted).boxed().toList());
    assertThat(stored.size() - distinct.size()).as("duplicates").isLessThanOrEqualTo((int) Math.max(pending, 16));
  }

  private List<Long> storedSeqs() {
    return platform.stored("c-1", "seq").stream().map(JsonNode::asLong).sorted().toList();
  }

  private Child fork(long firstSeq, long count) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        BufferingDevice.class.getName(), platform.mqttUri(), "c-1", token, bufferDir.toString(),
        Long.toString(firstSeq), Long.toString(count)).redirectErrorStream(true).start();
    processes.add(p);
    return new Child(p);
  }

  /** A forked device process and the lines it prints. */
  static final class Child {
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Child(Process process) {
      this.process = process;
      Thread.ofVirtual().start(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            lines.add(line);
          }
        } catch (IOException e) {
          lines.add("read failed: " + e);
        }
      });
    }

    long pendingAtStart() throws InterruptedException {
      return Long.parseLong(awaitLine("pending ").substring("pending ".length()));
    }

    long awaitAccepted(long seq) throws InterruptedException {
      String line;
      do {
        line = awaitLine("accepted ");
      } while (Long.parseLong(line.substring("accepted ".length())) < seq);
      return Long.parseLong(line.substring("accepted ".length()));
    }

    String awaitLine(String prefix) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        if (line != null && line.startsWith(prefix)) {
          return line;
        }
        if (line == null && !process.isAlive()) {
          throw new AssertionError("the device process ended with " + process.exitValue() + " before printing "
              + prefix);
        }
      }
      throw new AssertionError("the device process did not print '" + prefix + "' within 60 s");
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(137);
    }
  }
}
