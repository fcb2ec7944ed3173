package io.flotilla.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry through the disk buffer against the real Flotilla server: kept through a network cut (the
 * server stopped and started again on the same data folder and port), flushed in order once the device
 * reconnects, and refused payloads surfaced and dropped instead of retried forever.
 */
@Timeout(120)
class StoreAndForwardIT {
  static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"temperature\":{\"type\":\"number\","
      + "\"maximum\":85},\"seq\":{\"type\":\"integer\"}}}";

  @TempDir
  Path dataDir;
  @TempDir
  Path bufferDir;
  PlatformServer platform;
  FlotillaDevice device;
  final List<String> refusals = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    platform = new PlatformServer(dataDir);
  }

  @AfterEach
  void stop() {
    if (device != null) {
      device.close();
    }
    platform.close();
  }

  FlotillaDevice device(String id, String token) {
    device = FlotillaDevice.builder(platform.mqttUri(), id).token(token).diskBuffer(bufferDir, 4 * 1024 * 1024)
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .listener(new DeviceListener() {
          @Override
          public void telemetryRefused(long seq, String reason) {
            refusals.add(seq + " " + reason);
          }
        }).build();
    return device;
  }

  /**
   * Every message published before, during and after the server is away is stored exactly once (nothing
   * was in flight at the cut), and the ones buffered during the cut arrive after reconnecting.
   */
  @Test
  void messagesPublishedDuringANetworkCutAreStoredOnceAfterReconnecting() {
    String token = platform.registerDevice("thermo", SCHEMA, "t-1");
    FlotillaDevice d = device("t-1", token);
    d.start();
    for (int seq = 1; seq <= 50; seq++) {
      d.publish("{\"seq\":" + seq + ",\"temperature\":20}");
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> d.pendingTelemetry() == 0);

    platform.stop();
    await().atMost(Duration.ofSeconds(10)).until(() -> !d.isConnected());
    for (int seq = 51; seq <= 120; seq++) {
      d.publish("{\"seq\":" + seq + ",\"temperature\":21}");
    }
    assertThat(d.pendingTelemetry()).isEqualTo(70);

    platform.restart();
    await().atMost(Duration.ofSeconds(30)).until(() -> d.pendingTelemetry() == 0);
    for (int seq = 121; seq <= 130; seq++) {
      d.publish("{\"seq\":" + seq + ",\"temperature\":22}");
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> d.pendingTelemetry() == 0);

    List<Long> stored = platform.stored("t-1", "seq").stream().map(JsonNode::asLong).sorted().toList();
    assertThat(stored).containsExactlyElementsOf(LongStream.rangeClosed(1, 130).boxed().toList());
    assertThat(refusals).isEmpty();
  }

  /**
   * The server goes away while messages are in flight: every message is stored at least once (those in
   * flight at the cut perhaps twice), and the device reconnects on its own.
   */
  @Test
  void cutWhileSendingLosesNothing() throws Exception {
    String token = platform.registerDevice("thermo", SCHEMA, "t-3");
    FlotillaDevice d = device("t-3", token);
    d.start();
    await().atMost(Duration.ofSeconds(10)).until(d::isConnected);
    Thread publisher = Thread.ofPlatform().start(() -> {
      for (int seq = 1; seq <= 400; seq++) {
        d.publish("{\"seq\":" + seq + "}");
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> d.pendingTelemetry() > 0 || !publisher.isAlive());
    Thread.sleep(300);
    platform.stop();
    Thread.sleep(1000);
    platform.restart();
    publisher.join();
    await().atMost(Duration.ofSeconds(30)).until(() -> d.pendingTelemetry() == 0);

    List<Long> stored = platform.stored("t-3", "seq").stream().map(JsonNode::asLong).toList();
    assertThat(new java.util.TreeSet<>(stored)).containsExactlyElementsOf(LongStream.rangeClosed(1, 400).boxed()
        .toList());
    assertThat(stored.size() - 400).as("duplicates of messages in flight at the cut").isLessThanOrEqualTo(16);
  }

  /** A reading the profile's schema refuses (PUBACK 0x99) is reported with its reason and dropped; the next one is stored. */
  @Test
  void refusedPayloadIsSurfacedAndDroppedNotRetried() {
    String token = platform.registerDevice("thermo", SCHEMA, "t-2");
    FlotillaDevice d = device("t-2", token);
    d.start();
    long refused = d.publish("{\"temperature\":99}");
    d.publish("{\"temperature\":21}");
    await().atMost(Duration.ofSeconds(20)).until(() -> d.pendingTelemetry() == 0);
    assertThat(refusals).hasSize(1);
    assertThat(refusals.getFirst()).startsWith(refused + " ").contains("/temperature").contains("85");
    assertThat(platform.stored("t-2", "temperature")).extracting(JsonNode::asDouble).containsExactly(21.0);
  }
}
