package io.flotilla.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.json.Json;
import io.flotilla.server.FlotillaServer;
import io.flotilla.server.config.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator against the real server in-process: 50 devices registered through the REST API,
 * connected, publishing; every acknowledged message stored exactly once; commands answered over MQTT 5
 * with the request's correlation data; progress printed once a second.
 */
@Timeout(180)
class SimulationIT {
  static final String ADMIN_TOKEN = "simulation-test-admin-token-0123456789";
  @TempDir
  Path dataDir;
  FlotillaServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startServer() {
    server = FlotillaServer.start(ServerConfig.forTests(dataDir).withAdminToken(ADMIN_TOKEN));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void fiftyDevicesRegisterPublishAndAnswerCommands() throws Exception {
    SimulationOptions options = new SimulationOptions(URI.create("http://127.0.0.1:" + server.httpPort()),
        "tcp://127.0.0.1:" + server.mqttPort(), ADMIN_TOKEN, 50, 5, "sim-", "simulated", "environment", 500,
        Duration.ZERO, 1 << 20, Optional.empty());
    StringWriter printed = new StringWriter();
    Simulation simulation = new Simulation(options, new PrintWriter(printed, true));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread running = Thread.ofPlatform().start(() -> {
      try {
        simulation.run();
      } catch (Throwable e) {
        failure.set(e);
      }
    });

    await().atMost(Duration.ofSeconds(60)).until(() -> printed.toString().contains("connected 50/50"));
    Map<String, JsonNode> answers = new ConcurrentHashMap<>();
    MqttClient platform = platformClient(answers);
    sendCommand(platform, "sim-00007", "c-echo", "{\"id\":\"c-echo\",\"name\":\"echo\",\"payload\":{\"hello\":1}}");
    sendCommand(platform, "sim-00008", "c-int", "{\"id\":\"c-int\",\"name\":\"set-interval\",\"payload\":"
        + "{\"seconds\":0.1}}");
    await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 2);
    assertThat(answers.get("sim-00007 c-echo").toString())
        .isEqualTo("{\"correlation\":\"c-echo\",\"answer\":{\"status\":\"succeeded\",\"result\":{\"hello\":1}}}");
    assertThat(answers.get("sim-00008 c-int").path("answer").path("status").asText()).isEqualTo("succeeded");
    platform.disconnect();
    platform.close();

    Thread.sleep(2000);
    simulation.stop();
    running.join(Duration.ofSeconds(60));
    assertThat(failure.get()).isNull();

    SimulationStats stats = simulation.stats();
    assertThat(stats.refused()).isZero();
    assertThat(stats.commands()).isEqualTo(2);
    assertThat(stats.acknowledged()).isEqualTo(stats.sent()).isGreaterThan(250);
    JsonNode devices = get("/api/v1/devices?idPrefix=sim-&limit=100");
    assertThat(devices.path("items")).hasSize(50);
    long stored = 0;
    for (String id : simulation.deviceIds()) {
      stored += storedSeqs(id).size();
    }
    if (stats.errors() == 0) {
      assertThat(stored).isEqualTo(stats.acknowledged());
    } else {
      // a connection lost under load: messages whose PUBACK it took were sent again (at least once)
      assertThat(stored).isGreaterThanOrEqualTo(stats.acknowledged());
    }
    List<Long> faster = storedSeqs("sim-00008");
    assertThat(faster.size()).as("sim-00008 publishes every 0.1 s after set-interval")
        .isGreaterThan(storedSeqs("sim-00009").size());
    assertThat(printed.toString()).contains("Registering 50 simulated devices").contains("Done: ");
  }

  /** A second run over the same ids registers nothing new and still connects every device. */
  @Test
  void aSecondRunReusesTheRegisteredDevices() throws Exception {
    for (int run = 0; run < 2; run++) {
      SimulationOptions options = new SimulationOptions(URI.create("http://127.0.0.1:" + server.httpPort()),
          "tcp://127.0.0.1:" + server.mqttPort(), ADMIN_TOKEN, 5, 2, "again-", "simulated", "sine", 100,
          Duration.ofSeconds(3), 1 << 20, Optional.empty());
      StringWriter printed = new StringWriter();
      SimulationStats stats = new Simulation(options, new PrintWriter(printed, true)).run();
      assertThat(printed.toString()).contains(run == 0 ? "5 new, 0 registered before" : "0 new, 5 registered before");
      assertThat(stats.acknowledged()).isPositive();
      assertThat(stats.errors()).isZero();
    }
  }

  private List<Long> storedSeqs(String id) throws Exception {
    Instant now = Instant.now();
    JsonNode page = get("/api/v1/devices/" + id + "/telemetry?key=seq&limit=10000&from="
        + now.minus(1, ChronoUnit.HOURS) + "&to=" + now.plus(1, ChronoUnit.HOURS));
    assertThat(page.hasNonNull("nextCursor")).isFalse();
    return page.path("items").findValues("value").stream().map(JsonNode::asLong).toList();
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.httpPort() + path)).header("Authorization", "Bearer " + ADMIN_TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.readTrusted(response.body());
  }

  /** An application client (the admin token) that records each command answer with its correlation data. */
  private MqttClient platformClient(Map<String, JsonNode> answers) throws MqttException {
    MqttClient client = new MqttClient("tcp://127.0.0.1:" + server.mqttPort(), "platform", new MemoryPersistence());
    client.setCallback(new MqttCallback() {
      @Override
      public void messageArrived(String topic, MqttMessage message) {
        String[] parts = topic.split("/");
        JsonNode answer = Json.readTrusted(new String(message.getPayload(), StandardCharsets.UTF_8));
        String correlation = new String(message.getProperties().getCorrelationData(), StandardCharsets.UTF_8);
        answers.put(parts[1] + " " + parts[3], Json.object().put("correlation", correlation).set("answer", answer));
      }

      @Override
      public void disconnected(MqttDisconnectResponse response) {}

      @Override
      public void mqttErrorOccurred(MqttException exception) {}

      @Override
      public void deliveryComplete(IMqttToken token) {}

      @Override
      public void connectComplete(boolean reconnect, String serverUri) {}

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    });
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName("platform");
    options.setPassword(ADMIN_TOKEN.getBytes(StandardCharsets.UTF_8));
    client.connect(options);
    client.subscribe("devices/+/commands/+/response", 1);
    return client;
  }

  private static void sendCommand(MqttClient platform, String device, String id, String body) throws MqttException {
    MqttProperties properties = new MqttProperties();
    properties.setResponseTopic("devices/" + device + "/commands/" + id + "/response");
    properties.setCorrelationData(id.getBytes(StandardCharsets.UTF_8));
    platform.publish("devices/" + device + "/commands/" + id,
        new MqttMessage(body.getBytes(StandardCharsets.UTF_8), 1, false, properties));
  }
}
