package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the telemetry path: the server is killed with SIGKILL while devices publish QoS 1 as fast
 * as they can, and started again on the same data folder. Telemetry is acknowledged only once durable, so
 * every message acknowledged before the kill must be in the store; the clients resend what was not
 * acknowledged, so in the end every message is. Runs the packaged jar with its embedded engines (SQLite
 * registry, DuckDB telemetry).
 */
class TelemetryCrashIT {
  private static final int DEVICES = 4;
  /** Acknowledged messages, over all devices, before the kill: enough for many group commits to have happened. */
  private static final int ACKNOWLEDGED_BEFORE_KILL = 3_000;
  /** Acknowledged after the restart before publishing stops: the server takes new messages again. */
  private static final int ACKNOWLEDGED_AFTER_RESTART = 1_000;
  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir
  Path dataDir;
  @TempDir
  Path clientDir;
  private final String adminToken = "crash-test-" + UUID.randomUUID();
  private ForkedServer server;
  private final List<QosOnePublisher> publishers = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    try {
      for (QosOnePublisher publisher : publishers) {
        publisher.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /**
   * Kill -9 during a QoS 1 flood loses no acknowledged message: each one acknowledged before the kill is
   * stored, and after the restart the clients' resends bring in the rest.
   */
  @Test
  @Timeout(300)
  void noAcknowledgedMessageIsLostWhenTheServerIsKilled() throws Exception {
    Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
    server = ForkedServer.start(dataDir, adminToken, STARTUP);
    try {
      killAndRestartDuringFlood(from);
    } catch (Exception | AssertionError failure) {
      System.out.println("---- server log (last 100 lines) ----\n" + server.logTail(100));
      throw failure;
    }
  }

  private void killAndRestartDuringFlood(Instant from) throws Exception {
    AdminApi api = new AdminApi(server.httpPort(), adminToken);
    api.post("/api/v1/device-profiles", "{\"id\":\"counter\",\"telemetrySchema\":"
        + "{\"type\":\"object\",\"required\":[\"seq\"],\"properties\":{\"seq\":{\"type\":\"integer\"}}}}");
    for (int i = 1; i <= DEVICES; i++) {
      String deviceId = "counter-" + i;
      api.post("/api/v1/devices", "{\"id\":\"" + deviceId + "\",\"profile\":\"counter\"}");
      String token = api.post("/api/v1/devices/" + deviceId + "/credentials", "{\"type\":\"token\"}")
          .path("token").asText();
      publishers.add(QosOnePublisher.start(server.mqttPort(), deviceId, token, clientDir.resolve(deviceId)));
    }

    await().atMost(PATIENCE).until(() -> totalAcknowledged() >= ACKNOWLEDGED_BEFORE_KILL);
    server.kill();
    Map<String, Set<Long>> acknowledgedBeforeKill = new LinkedHashMap<>();
    int pendingAtKill = 0;
    for (QosOnePublisher publisher : publishers) {
      acknowledgedBeforeKill.put(publisher.deviceId(), publisher.acknowledged());
      pendingAtKill += publisher.pending();
    }

    server.restart(STARTUP);
    int acknowledgedAtRestart = totalAcknowledged();
    await().atMost(PATIENCE).until(() -> totalAcknowledged() >= acknowledgedAtRestart + ACKNOWLEDGED_AFTER_RESTART);
    for (QosOnePublisher publisher : publishers) {
      publisher.stopPublishing();
    }
    await().atMost(PATIENCE).until(() -> publishers.stream().allMatch(p -> p.pending() == 0));

    Instant to = Instant.now().plusSeconds(60);
    CrashReport report = new CrashReport(pendingAtKill);
    int mostPages = 0;
    for (QosOnePublisher publisher : publishers) {
      String deviceId = publisher.deviceId();
      StoredSequences stored = StoredSequences.read(api, deviceId, from, to);
      mostPages = Math.max(mostPages, stored.pages());
      report.add(deviceId, acknowledgedBeforeKill.get(deviceId), publisher.acknowledged(), publisher.lastPublished(),
          stored);
    }
    System.out.println(report.summary(publishers));
    server.logProblems().forEach(line -> System.out.println("  server log: " + line));

    assertThat(report.acknowledgedBeforeKill()).as("messages acknowledged before the kill")
        .isGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
    assertThat(pendingAtKill).as("messages in flight when the server was killed (else it was not under load)")
        .isPositive();
    assertThat(publishers).as("clients that reconnected to the restarted server")
        .allSatisfy(p -> assertThat(p.connections()).isGreaterThanOrEqualTo(2));
    assertThat(publishers).as("acknowledgements Paho could not attribute to a message")
        .allSatisfy(p -> assertThat(p.acknowledgementsWithoutSequence()).isZero());
    assertThat(report.lostBeforeKill()).as("acknowledged before the kill but not stored, by device").isEmpty();
    assertThat(report.lostAfterKill()).as("acknowledged after the restart but not stored, by device").isEmpty();
    assertThat(report.neverAcknowledged()).as("published but never acknowledged, by device").isEmpty();
    assertThat(mostPages).as("pages of the device with the most points (boundaries must be crossed)")
        .isGreaterThan(1);
    assertThat(report.pagingMismatches()).as("points read page by page vs. counted by the store, by device")
        .isEmpty();
  }

  private int totalAcknowledged() {
    return publishers.stream().mapToInt(QosOnePublisher::acknowledgedCount).sum();
  }
}
