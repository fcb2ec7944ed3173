package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.command.CommandSettings;
import io.flotilla.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher's pace, with retries after 1 s and at most 2 attempts: an unacknowledged command is published
 * again, then fails; a direct command with a connect timeout waits for its device to come online.
 */
@Timeout(60)
class CommandRetryIT {
  @TempDir
  Path dataDir;
  private FlotillaServer server;
  private ApiClient admin;

  @BeforeEach
  void start() {
    server = FlotillaServer.start(TestServers.config(dataDir), Clock.tickMillis(ZoneOffset.UTC),
        new CommandSettings(Duration.ofMillis(200), Duration.ofSeconds(1), 2));
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    admin.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * An MQTT 3.1.1 device (Paho) that never sends its PUBACK gets the same command again after the retry interval,
   * and after the last attempt the command fails saying why.
   */
  @Test
  void unacknowledgedCommandIsSentAgainThenFails() throws Exception {
    String token = register("pump-1");
    MqttClient device = new MqttClient("tcp://127.0.0.1:" + server.mqttPort(), "pump-1", new MemoryPersistence());
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    try {
      device.setManualAcks(true);
      MqttConnectOptions options = new MqttConnectOptions();
      options.setUserName("pump-1");
      options.setPassword(token.toCharArray());
      options.setCleanSession(true);
      device.connect(options);
      device.subscribe("devices/pump-1/commands/+", 1, (topic, message) ->
          received.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
      String id = admin.post("/api/v1/devices/pump-1/commands", "{\"name\":\"reboot\",\"mode\":\"queued\"}").json()
          .path("id").asText();

      String first = received.poll(10, TimeUnit.SECONDS);
      String second = received.poll(10, TimeUnit.SECONDS);
      assertThat(first).contains("\"id\":\"" + id + "\"");
      assertThat(second).as("the same command again").isEqualTo(first);
      await().atMost(Duration.ofSeconds(10)).until(() -> command("pump-1", id).path("status").asText(),
          "failed"::equals);
      JsonNode failed = command("pump-1", id);
      assertThat(failed.path("attempts").asInt()).isEqualTo(2);
      assertThat(failed.path("message").asText()).contains("did not acknowledge").contains("2 deliveries");
      assertThat(failed.has("deliveredAt")).isFalse();
      assertThat(received.poll(1500, TimeUnit.MILLISECONDS)).as("no third attempt").isNull();
    } finally {
      device.disconnectForcibly(1000);
      device.close();
    }
  }

  /** A direct command with connectTimeoutSeconds waits for the offline device, reaches it and returns its answer. */
  @Test
  void directCommandWaitsForTheDeviceToConnect() throws Exception {
    String token = register("pump-2");
    var callers = Executors.newVirtualThreadPerTaskExecutor();
    try {
      CompletableFuture<ApiClient.Response> call = CompletableFuture.supplyAsync(() -> admin.post(
          "/api/v1/devices/pump-2/commands", "{\"name\":\"ping\",\"connectTimeoutSeconds\":20,\"timeoutSeconds\":10}"),
          callers);
      Thread.sleep(1500);
      assertThat(call).as("still waiting for the device").isNotDone();
      try (CommandDevice device = CommandDevice.connect(server.mqttPort(), "pump-2", token)) {
        CommandDevice.Received command = device.nextCommand();
        device.answer(command, "{\"status\":\"succeeded\",\"result\":\"pong\"}");
        ApiClient.Response answered = call.get(20, TimeUnit.SECONDS);
        assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
        assertThat(answered.json().path("result").asText()).isEqualTo("pong");
        assertThat(answered.json().path("connectTimeoutSeconds").asInt()).isEqualTo(20);
      }
    } finally {
      callers.shutdownNow();
    }
  }

  /** A direct command whose device does not connect within connectTimeoutSeconds times out saying so. */
  @Test
  void directCommandTimesOutWhenTheDeviceDoesNotConnect() {
    register("pump-3");
    ApiClient.Response timedOut = admin.post("/api/v1/devices/pump-3/commands",
        "{\"name\":\"ping\",\"connectTimeoutSeconds\":1,\"timeoutSeconds\":5}");
    assertThat(timedOut.status()).isEqualTo(504);
    assertThat(timedOut.json().path("status").asText()).isEqualTo("timed-out");
    assertThat(timedOut.json().path("message").asText()).contains("did not connect within 1 s");
    assertThat(timedOut.json().path("attempts").asInt()).isZero();
  }

  private String register(String id) {
    admin.post("/api/v1/devices", "{\"id\":\"" + id + "\",\"profile\":\"pump\"}");
    return admin.post("/api/v1/devices/" + id + "/credentials", "{}").json().path("token").asText();
  }

  private JsonNode command(String deviceId, String id) {
    return Json.readTrusted(admin.get("/api/v1/devices/" + deviceId + "/commands/" + id).body());
  }
}
