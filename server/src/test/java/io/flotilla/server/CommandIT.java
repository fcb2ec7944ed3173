package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands end to end against the real server: an operator sends them over REST, devices take them over MQTT 5
 * (Paho, with response topic and correlation data) and MQTT 3.1.1 (mosquitto_sub / mosquitto_pub), and answer.
 */
@Timeout(90)
class CommandIT {
  @TempDir
  Path dataDir;
  private FlotillaServer server;
  private ApiClient admin;
  private final List<AutoCloseable> devices = new ArrayList<>();
  private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

  @BeforeEach
  void start() {
    server = TestServers.start(dataDir, Optional.empty());
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    admin.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable device : devices) {
      device.close();
    }
    callers.shutdownNow();
    server.close();
  }

  /** A direct command over MQTT 5 carries response topic and correlation data, and the caller gets the answer. */
  @Test
  void directCommandReturnsTheDevicesAnswerOverMqtt5() throws Exception {
    CommandDevice device = device("pump-1");
    CompletableFuture<ApiClient.Response> call = CompletableFuture.supplyAsync(() -> admin.post(
        "/api/v1/devices/pump-1/commands", "{\"name\":\"reboot\",\"payload\":{\"delay\":5},\"timeoutSeconds\":20}"),
        callers);

    CommandDevice.Received command = device.nextCommand();
    JsonNode body = io.flotilla.core.json.Json.readTrusted(command.payload());
    String id = body.path("id").asText();
    assertThat(command.topic()).isEqualTo("devices/pump-1/commands/" + id);
    assertThat(body.path("name").asText()).isEqualTo("reboot");
    assertThat(body.path("payload").path("delay").asInt()).isEqualTo(5);
    assertThat(body.has("expiresAt")).isTrue();
    assertThat(command.properties().getResponseTopic()).isEqualTo("devices/pump-1/commands/" + id + "/response");
    assertThat(new String(command.properties().getCorrelationData(), StandardCharsets.UTF_8)).isEqualTo(id);

    IMqttToken ack = device.answer(command, "{\"status\":\"succeeded\",\"result\":{\"uptime\":42}}");
    assertThat(ack.getReasonCodes()).containsExactly(0);
    ApiClient.Response answered = call.get(20, TimeUnit.SECONDS);
    assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
    JsonNode result = answered.json();
    assertThat(result.path("id").asText()).isEqualTo(id);
    assertThat(result.path("status").asText()).isEqualTo("succeeded");
    assertThat(result.path("result").path("uptime").asInt()).isEqualTo(42);
    assertThat(result.path("mode").asText()).isEqualTo("direct");
    assertThat(result.path("attempts").asInt()).isEqualTo(1);
    assertThat(result.has("sentAt")).isTrue();
    assertThat(result.has("deliveredAt")).isTrue();
    assertThat(result.has("completedAt")).isTrue();
    assertThat(admin.get("/api/v1/devices/pump-1/commands/" + id).json()).isEqualTo(result);
    String metrics = admin.get("/metrics").body();
    assertThat(metrics).contains("flotilla_commands_completed_total{mode=\"direct\",status=\"succeeded\"} 1.0")
        .contains("flotilla_commands_round_trip_seconds_count{mode=\"direct\"} 1");
    assertThat(auditActions()).contains("command.send");
  }

  /** A direct command to an offline device is refused at once with 409 and stores nothing. */
  @Test
  void directCommandToAnOfflineDeviceIsRefusedAtOnce() {
    register("pump-2");
    long started = System.nanoTime();
    ApiClient.Response refused = admin.post("/api/v1/devices/pump-2/commands", "{\"name\":\"reboot\"}");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().path("detail").asText()).contains("'pump-2' is offline").contains("queued")
        .contains("connectTimeoutSeconds");
    assertThat(admin.get("/api/v1/devices/pump-2/commands").json().path("items")).isEmpty();
  }

  /** A command to a device that does not exist is refused with 404 and leaves no trace. */
  @Test
  void commandToAnUnknownDeviceIsNotFound() {
    int auditBefore = auditActions().size();
    ApiClient.Response refused = admin.post("/api/v1/devices/ghost/commands",
        "{\"name\":\"reboot\",\"mode\":\"queued\"}");
    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.json().path("detail").asText()).contains("device 'ghost'");
    assertThat(auditActions()).hasSize(auditBefore);
  }

  /** Bad bodies get 422 naming each field that is wrong, and store nothing. */
  @Test
  void invalidCommandsAreRefusedWithFieldPaths() {
    register("pump-3");
    ApiClient.Response refused = admin.post("/api/v1/devices/pump-3/commands",
        "{\"name\":\"re boot\",\"mode\":\"direct\",\"timeoutSeconds\":2,\"ttlSeconds\":60,\"color\":\"red\"}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body()).contains("\"name\"").contains("\"timeoutSeconds\"").contains("between 5 and 300")
        .contains("\"ttlSeconds\"").contains("\"color\"");
    ApiClient.Response badMode = admin.post("/api/v1/devices/pump-3/commands", "{\"name\":\"x\",\"mode\":\"soon\"}");
    assertThat(badMode.status()).isEqualTo(422);
    assertThat(badMode.body()).contains("direct or queued");
    assertThat(admin.get("/api/v1/devices/pump-3/commands").json().path("items")).isEmpty();
  }

  /** A device that takes the command but never answers: the caller gets 504 with status timed-out. */
  @Test
  void directCommandWithoutAnAnswerTimesOut() throws Exception {
    CommandDevice device = device("pump-4");
    long started = System.nanoTime();
    CompletableFuture<ApiClient.Response> call = CompletableFuture.supplyAsync(() -> admin.post(
        "/api/v1/devices/pump-4/commands", "{\"name\":\"reboot\",\"timeoutSeconds\":5}"), callers);
    device.nextCommand();
    ApiClient.Response timedOut = call.get(20, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(4500),
        Duration.ofSeconds(9));
    assertThat(timedOut.status()).isEqualTo(504);
    assertThat(timedOut.json().path("status").asText()).isEqualTo("timed-out");
    assertThat(timedOut.json().has("deliveredAt")).as("the device acknowledged the PUBLISH").isTrue();
    assertThat(timedOut.json().path("message").asText()).contains("did not answer");
  }

  /**
   * Over MQTT 3.1.1: a queued command to an offline device waits, reaches it when it connects (mosquitto_sub),
   * is marked delivered by its PUBACK, and completes with the answer it publishes (mosquitto_pub).
   */
  @Test
  void queuedCommandReachesAnOfflineDeviceWhenItConnectsOverMqtt311() {
    String token = register("pump-5");
    List<io.flotilla.core.event.DomainEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    server.services().events().subscribe(e -> {
      if (e.type().equals("command.status-changed")) {
        events.add(e);
      }
    });
    ApiClient.Response queued = admin.post("/api/v1/devices/pump-5/commands",
        "{\"name\":\"set-speed\",\"payload\":{\"rpm\":1200},\"mode\":\"queued\",\"ttlSeconds\":600}");
    assertThat(queued.status()).isEqualTo(202);
    String id = queued.json().path("id").asText();
    assertThat(queued.json().path("status").asText()).isEqualTo("queued");
    assertThat(command("pump-5", id).path("status").asText()).isEqualTo("queued");

    List<String> sub = MosquittoClients.args("mosquitto_sub", server.mqttPort(), "mqttv311", "pump-5", "pump-5",
        token);
    sub.addAll(List.of("-t", "devices/pump-5/commands/+", "-q", "1", "-C", "1", "-v", "-W", "15"));
    MosquittoClients.Run received = MosquittoClients.run(sub.toArray(String[]::new));
    assertThat(received.exitCode()).as(received.output()).isZero();
    assertThat(received.output()).startsWith("devices/pump-5/commands/" + id + " ")
        .contains("\"name\":\"set-speed\"").contains("\"rpm\":1200").contains("\"id\":\"" + id + "\"");
    await().atMost(Duration.ofSeconds(5)).until(() -> command("pump-5", id).path("status").asText(),
        "delivered"::equals);

    List<String> pub = MosquittoClients.args("mosquitto_pub", server.mqttPort(), "mqttv311", "pump-5", "pump-5",
        token);
    pub.addAll(List.of("-t", "devices/pump-5/commands/" + id + "/response", "-q", "1", "-m",
        "{\"status\":\"failed\",\"message\":\"rpm above the limit\",\"result\":{\"max\":1000}}"));
    MosquittoClients.Run answered = MosquittoClients.run(pub.toArray(String[]::new));
    assertThat(answered.exitCode()).as(answered.output()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> command("pump-5", id).path("status").asText(),
        "failed"::equals);
    JsonNode done = command("pump-5", id);
    assertThat(done.path("message").asText()).isEqualTo("rpm above the limit");
    assertThat(done.path("result").path("max").asInt()).isEqualTo(1000);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() >= 4);
    assertThat(events).extracting(e -> e.data().path("status").asText())
        .containsExactly("queued", "sent", "delivered", "failed");
    assertThat(events).allSatisfy(e -> assertThat(e.entityId()).isEqualTo(id));
  }

  /**
   * Answers with a wrong correlation id, for an unknown command, with an invalid payload, or for a finished command
   * are refused (MQTT 5 PUBACK ≥ 0x80 with a reason string, and a rejection on …/response/rejected) and change
   * nothing; the right answer then completes the command.
   */
  @Test
  void wrongAnswersAreRefusedAndChangeNothing() throws Exception {
    CommandDevice device = device("pump-6");
    ApiClient.Response queued = admin.post("/api/v1/devices/pump-6/commands",
        "{\"name\":\"reboot\",\"mode\":\"queued\"}");
    String id = queued.json().path("id").asText();
    CommandDevice.Received command = device.nextCommand();
    await().atMost(Duration.ofSeconds(5)).until(() -> command("pump-6", id).path("status").asText(),
        "delivered"::equals);
    JsonNode before = command("pump-6", id);
    String responseTopic = command.properties().getResponseTopic();

    IMqttToken wrongCorrelation = device.answer(responseTopic, "cmd_other".getBytes(StandardCharsets.UTF_8),
        "{\"status\":\"succeeded\"}");
    assertThat(wrongCorrelation.getReasonCodes()[0]).isGreaterThanOrEqualTo(0x80);
    assertThat(wrongCorrelation.getResponseProperties().getReasonString()).contains("correlation data");
    JsonNode rejection = io.flotilla.core.json.Json.readTrusted(device.rejections.poll(10, TimeUnit.SECONDS)
        .payload());
    assertThat(rejection.path("code").asInt()).isEqualTo(422);
    assertThat(rejection.path("error").asText()).isEqualTo("correlation-mismatch");

    IMqttToken unknown = device.answer("devices/pump-6/commands/cmd_nothing/response",
        "cmd_nothing".getBytes(StandardCharsets.UTF_8), "{\"status\":\"succeeded\"}");
    assertThat(unknown.getReasonCodes()[0]).isGreaterThanOrEqualTo(0x80);
    assertThat(io.flotilla.core.json.Json.readTrusted(device.rejections.poll(10, TimeUnit.SECONDS).payload())
        .path("error").asText()).isEqualTo("unknown-command");

    IMqttToken invalid = device.answer(command, "{\"status\":\"done\"}");
    assertThat(invalid.getReasonCodes()).containsExactly(0x99);
    assertThat(io.flotilla.core.json.Json.readTrusted(device.rejections.poll(10, TimeUnit.SECONDS).payload())
        .path("error").asText()).isEqualTo("invalid-answer");
    assertThat(command("pump-6", id)).as("nothing changed").isEqualTo(before);

    assertThat(device.answer(command, "{\"status\":\"succeeded\"}").getReasonCodes()).containsExactly(0);
    assertThat(command("pump-6", id).path("status").asText()).isEqualTo("succeeded");
    IMqttToken again = device.answer(command, "{\"status\":\"failed\"}");
    assertThat(again.getReasonCodes()[0]).isGreaterThanOrEqualTo(0x80);
    assertThat(io.flotilla.core.json.Json.readTrusted(device.rejections.poll(10, TimeUnit.SECONDS).payload())
        .path("error").asText()).isEqualTo("command-finished");
    assertThat(command("pump-6", id).path("status").asText()).isEqualTo("succeeded");
  }

  /** A queued command can be cancelled until it reaches the device, once; both steps are audited. */
  @Test
  void queuedCommandCanBeCancelledOnce() {
    register("pump-7");
    String id = admin.post("/api/v1/devices/pump-7/commands", "{\"name\":\"reboot\",\"mode\":\"queued\"}").json()
        .path("id").asText();
    ApiClient.Response cancelled = admin.post("/api/v1/devices/pump-7/commands/" + id + "/cancel", "");
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().path("status").asText()).isEqualTo("cancelled");
    ApiClient.Response again = admin.post("/api/v1/devices/pump-7/commands/" + id + "/cancel", "");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().path("detail").asText()).contains("is cancelled");
    assertThat(auditActions()).contains("command.send", "command.cancel");
    assertThat(admin.get("/api/v1/devices/pump-7/commands?status=cancelled").json().path("items")).hasSize(1);
    assertThat(admin.get("/api/v1/devices/pump-7/commands?status=queued").json().path("items")).isEmpty();
  }

  /** A group command makes one queued command per device of the group; a direct one is refused. */
  @Test
  void groupCommandMakesOneCommandPerDevice() throws InterruptedException {
    register("pump-8");
    register("pump-9");
    admin.post("/api/v1/groups", "{\"id\":\"north\",\"type\":\"static\"}");
    admin.post("/api/v1/groups/north/devices", "{\"deviceIds\":[\"pump-8\",\"pump-9\"]}");
    ApiClient.Response sent = admin.post("/api/v1/groups/north/commands",
        "{\"name\":\"update-config\",\"payload\":{\"interval\":60}}");
    assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
    assertThat(sent.json().path("items")).hasSize(2);
    assertThat(sent.json().path("items").findValuesAsText("deviceId")).containsExactly("pump-8", "pump-9");
    assertThat(sent.json().path("items").findValuesAsText("groupId")).containsExactly("north", "north");
    assertThat(admin.get("/api/v1/devices/pump-9/commands").json().path("items")).hasSize(1);
    admin.post("/api/v1/groups/north/commands", "{\"name\":\"second\"}");
    Thread.sleep(2); // newest first orders by creation time, then by a random id: keep the two apart
    admin.post("/api/v1/groups/north/commands", "{\"name\":\"third\"}");
    JsonNode first = admin.get("/api/v1/devices/pump-9/commands?limit=2").json();
    assertThat(first.path("items").findValuesAsText("name")).containsExactly("third", "second");
    JsonNode rest = admin.get("/api/v1/devices/pump-9/commands?limit=2&cursor=" + first.path("nextCursor").asText())
        .json();
    assertThat(rest.path("items").findValuesAsText("name")).containsExactly("update-config");
    assertThat(rest.has("nextCursor")).isFalse();
    assertThat(admin.get("/api/v1/devices/pump-9/commands?cursor=bogus").status()).isEqualTo(422);
    ApiClient.Response direct = admin.post("/api/v1/groups/north/commands", "{\"name\":\"x\",\"mode\":\"direct\"}");
    assertThat(direct.status()).isEqualTo(422);
    assertThat(admin.post("/api/v1/groups/nowhere/commands", "{\"name\":\"x\"}").status()).isEqualTo(404);
  }

  /**
   * A device that speaks HTTP fetches its waiting commands (each marked delivered) and answers them; wrong answers
   * get the same refusals as over MQTT and change nothing.
   */
  @Test
  void deviceFetchesAndAnswersCommandsOverHttp() {
    String token = register("pump-10");
    String otherToken = register("pump-11");
    String id = admin.post("/api/v1/devices/pump-10/commands",
        "{\"name\":\"read-meter\",\"payload\":{\"register\":7},\"mode\":\"queued\"}").json().path("id").asText();
    ApiClient pump = new ApiClient(server.httpPort(), Optional.empty()).asDevice("pump-10", token);
    ApiClient other = new ApiClient(server.httpPort(), Optional.empty()).asDevice("pump-11", otherToken);
    assertThat(new ApiClient(server.httpPort(), Optional.empty()).get("/device/v1/commands").status()).isEqualTo(401);

    JsonNode fetched = pump.get("/device/v1/commands").json();
    assertThat(fetched.path("items")).hasSize(1);
    assertThat(fetched.path("items").get(0).path("id").asText()).isEqualTo(id);
    assertThat(fetched.path("items").get(0).path("payload").path("register").asInt()).isEqualTo(7);
    assertThat(command("pump-10", id).path("status").asText()).isEqualTo("delivered");
    assertThat(pump.get("/device/v1/commands").json().path("items")).as("handed over once").isEmpty();

    ApiClient.Response foreign = other.post("/device/v1/commands/" + id + "/response", "{\"status\":\"succeeded\"}");
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.json().path("type").asText()).endsWith("unknown-command");
    ApiClient.Response invalid = pump.post("/device/v1/commands/" + id + "/response", "{\"status\":\"maybe\"}");
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(command("pump-10", id).path("status").asText()).isEqualTo("delivered");

    ApiClient.Response taken = pump.post("/device/v1/commands/" + id + "/response",
        "{\"status\":\"succeeded\",\"result\":{\"kwh\":12.5}}");
    assertThat(taken.status()).as(taken.toString()).isEqualTo(200);
    JsonNode done = command("pump-10", id);
    assertThat(done.path("status").asText()).isEqualTo("succeeded");
    assertThat(done.path("result").path("kwh").asDouble()).isEqualTo(12.5);
    ApiClient.Response again = pump.post("/device/v1/commands/" + id + "/response", "{\"status\":\"failed\"}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().path("type").asText()).endsWith("command-finished");
  }

  private CommandDevice device(String id) throws Exception {
    String token = register(id);
    CommandDevice device = CommandDevice.connect(server.mqttPort(), id, token);
    devices.add(device);
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.get("/api/v1/devices/" + id + "/connection").json()
        .path("online").asBoolean());
    return device;
  }

  /** Registers a device and returns its device token. */
  private String register(String id) {
    admin.post("/api/v1/devices", "{\"id\":\"" + id + "\",\"profile\":\"pump\"}");
    return admin.post("/api/v1/devices/" + id + "/credentials", "{}").json().path("token").asText();
  }

  private JsonNode command(String deviceId, String id) {
    return admin.get("/api/v1/devices/" + deviceId + "/commands/" + id).json();
  }

  private List<String> auditActions() {
    return admin.get("/api/v1/audit?limit=1000").json().path("items").findValuesAsText("action");
  }
}
