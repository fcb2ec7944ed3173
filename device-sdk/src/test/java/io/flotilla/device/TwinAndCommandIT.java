package io.flotilla.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.gateway.mqtt.BrokerConfig;
import io.flotilla.gateway.mqtt.MqttBroker;
import io.flotilla.gateway.mqtt.auth.MqttAuthorizer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

/**
 * The SDK's side of the twin and command contract, against the project's real MQTT broker embedded on
 * an ephemeral port, with a Paho MQTT 5 client playing the platform exactly as the contract says.
 */
@Timeout(60)
class TwinAndCommandIT {
  static final String ID = "d-1";
  MqttBroker broker;
  MqttClient platform;
  FlotillaDevice device;
  final List<Received> received = new CopyOnWriteArrayList<>();

  record Received(String topic, JsonNode body, Optional<String> correlation) {}

  @BeforeEach
  void startBrokerAndPlatform() throws MqttException {
    broker = MqttBroker.builder(BrokerConfig.defaults().withBindAddress("127.0.0.1").withPort(0))
        .authorizer(MqttAuthorizer.allowAll()).build().start();
    platform = new MqttClient("tcp://127.0.0.1:" + broker.port(), "platform", new MemoryPersistence());
    platform.setCallback(new PlatformSide());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    platform.connect(options);
    platform.subscribe(new String[] {"devices/+/twin/get", "devices/+/twin/report", "devices/+/twins/+/get",
        "devices/+/commands/+/response"}, new int[] {1, 1, 1, 1});
  }

  @AfterEach
  void stop() throws MqttException {
    if (device != null) {
      device.close();
    }
    platform.disconnect();
    platform.close();
    broker.close();
  }

  FlotillaDevice connectDevice() {
    device = FlotillaDevice.builder("tcp://127.0.0.1:" + broker.port(), ID)
        .backoff(Duration.ofMillis(50), Duration.ofMillis(500)).requestTimeout(Duration.ofSeconds(5)).build();
    return device;
  }

  void start(FlotillaDevice d) {
    d.start();
    await().atMost(Duration.ofSeconds(10)).until(d::isConnected);
  }

  /** getTwin publishes to twin/get with a client token and returns the twin the platform answered with it. */
  @Test
  void getTwinReturnsThePlatformsAnswerForItsClientToken() throws Exception {
    start(connectDevice());
    Twin twin = device.getTwin().get(5, TimeUnit.SECONDS);
    assertThat(twin.name()).isEqualTo("default");
    assertThat(twin.version()).isEqualTo(7);
    assertThat(twin.desired().path("interval").asInt()).isEqualTo(30);
    assertThat(twin.reported().path("interval").asInt()).isEqualTo(60);
    assertThat(twin.delta().path("interval").asInt()).isEqualTo(30);
    assertThat(twin.metadata().path("desired").path("interval").path("updatedAt").asText())
        .isEqualTo("2026-01-01T00:00:00Z");
    Received request = received.stream().filter(r -> r.topic().equals("devices/d-1/twin/get")).findFirst().orElseThrow();
    assertThat(request.body().path("clientToken").asText()).isNotBlank();

    Twin named = device.getTwin("settings").get(5, TimeUnit.SECONDS);
    assertThat(named.name()).isEqualTo("settings");
  }

  /** A report carries the merge patch and completes with the new version; a stale one fails with the platform's reason. */
  @Test
  void reportTwinCompletesWithTheNewVersionOrTheRejection() throws Exception {
    start(connectDevice());
    ObjectNode patch = DeviceJson.object().put("interval", 30).putNull("obsolete");
    assertThat(device.reportTwin(patch).get(5, TimeUnit.SECONDS)).isEqualTo(8);
    Received report = received.stream().filter(r -> r.topic().equals("devices/d-1/twin/report")).findFirst()
        .orElseThrow();
    assertThat(report.body().path("reported").toString()).isEqualTo("{\"interval\":30,\"obsolete\":null}");
    assertThat(report.body().has("version")).isFalse();

    assertThatThrownBy(() -> device.reportTwin(patch, 3).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TwinRejectedException.class)
        .hasMessageContaining("stale-version").satisfies(e -> {
          assertThat(((TwinRejectedException) e).code()).isEqualTo(409);
          assertThat(((TwinRejectedException) e).error()).isEqualTo("stale-version");
        });
  }

  /**
   * The delta retained before the device connects reaches the listener at once with its version, a later
   * one too; the same version delivered again is not handed over twice.
   */
  @Test
  void desiredChangesReachTheListenerOncePerVersion() throws Exception {
    platform.publish("devices/d-1/twin/delta", json("{\"version\":8,\"delta\":{\"interval\":30}}"), 1, true);
    List<String> seen = new CopyOnWriteArrayList<>();
    FlotillaDevice d = connectDevice();
    d.onDesiredChanged((delta, version) -> {
      seen.add(version + " " + delta);
      d.reportTwin(delta);
    });
    start(d);
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
    assertThat(seen).containsExactly("8 {\"interval\":30}");
    await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().anyMatch(r -> r.topic().endsWith("/report")
        && r.body().path("reported").path("interval").asInt() == 30));

    platform.publish("devices/d-1/twin/delta", json("{\"version\":8,\"delta\":{\"interval\":30}}"), 1, false);
    platform.publish("devices/d-1/twin/delta", json("{\"version\":9,\"delta\":{\"mode\":\"eco\"}}"), 1, false);
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    Thread.sleep(200);
    assertThat(seen).containsExactly("8 {\"interval\":30}", "9 {\"mode\":\"eco\"}");
  }

  /**
   * A command runs its handler and is answered on the response topic with status, result and the request's
   * correlation data; a redelivery is answered again without running the handler twice; an unknown name fails.
   */
  @Test
  void commandsAreAnsweredWithStatusResultAndCorrelationData() throws Exception {
    AtomicInteger reboots = new AtomicInteger();
    FlotillaDevice d = connectDevice();
    d.onCommand("reboot", command -> {
      reboots.incrementAndGet();
      return CommandResult.success(DeviceJson.object().put("delay", command.payload().path("delay").asInt()));
    });
    d.onCommand("explode", command -> {
      throw new IllegalStateException("cannot explode today");
    });
    start(d);

    sendCommand("c-1", "{\"id\":\"c-1\",\"name\":\"reboot\",\"payload\":{\"delay\":5},"
        + "\"expiresAt\":\"2999-01-01T00:00:00Z\"}");
    Received answer = awaitAnswer("c-1", 1);
    assertThat(answer.body().toString()).isEqualTo("{\"status\":\"succeeded\",\"result\":{\"delay\":5}}");
    assertThat(answer.correlation()).contains("c-1");

    sendCommand("c-1", "{\"id\":\"c-1\",\"name\":\"reboot\",\"payload\":{\"delay\":5}}");
    assertThat(awaitAnswer("c-1", 2).body()).isEqualTo(answer.body());
    assertThat(reboots).hasValue(1);

    sendCommand("c-2", "{\"id\":\"c-2\",\"name\":\"self-destruct\",\"payload\":null}");
    assertThat(awaitAnswer("c-2", 1).body().toString())
        .isEqualTo("{\"status\":\"failed\",\"message\":\"this device has no handler for the command 'self-destruct'\"}");
    sendCommand("c-3", "{\"id\":\"c-3\",\"name\":\"explode\"}");
    assertThat(awaitAnswer("c-3", 1).body().path("message").asText()).isEqualTo("cannot explode today");
    sendCommand("c-4", "{\"id\":\"c-4\",\"name\":\"reboot\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}");
    assertThat(awaitAnswer("c-4", 1).body().path("message").asText()).contains("expired");
    assertThat(reboots).hasValue(1);
  }

  /** The device reconnects on its own after the broker drops it, and its subscriptions work again. */
  @Test
  void reconnectsAndResubscribesAfterBeingDropped() throws Exception {
    AtomicInteger connects = new AtomicInteger();
    device = FlotillaDevice.builder("tcp://127.0.0.1:" + broker.port(), ID)
        .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .listener(new DeviceListener() {
          @Override
          public void connected() {
            connects.incrementAndGet();
          }
        }).build();
    device.onCommand("ping", c -> CommandResult.success());
    start(device);
    assertThat(broker.disconnect("default", ID, true)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> connects.get() == 2 && device.isConnected());
    sendCommand("c-9", "{\"id\":\"c-9\",\"name\":\"ping\"}");
    assertThat(awaitAnswer("c-9", 1).body().path("status").asText()).isEqualTo("succeeded");
  }

  private void sendCommand(String id, String body) throws MqttException {
    MqttProperties properties = new MqttProperties();
    properties.setResponseTopic("devices/d-1/commands/" + id + "/response");
    properties.setCorrelationData(id.getBytes(StandardCharsets.UTF_8));
    MqttMessage message = new MqttMessage(body.getBytes(StandardCharsets.UTF_8), 1, false, properties);
    platform.publish("devices/d-1/commands/" + id, message);
  }

  private Received awaitAnswer(String id, int nth) {
    String topic = "devices/d-1/commands/" + id + "/response";
    await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().filter(r -> r.topic().equals(topic))
        .count() >= nth);
    return received.stream().filter(r -> r.topic().equals(topic)).skip(nth - 1).findFirst().orElseThrow();
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Answers twin requests as the contract says: version 7, and stale-version for a report at another version. */
  private final class PlatformSide implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
      JsonNode body = DeviceJson.MAPPER.readTree(message.getPayload());
      Optional<String> correlation = Optional.ofNullable(message.getProperties().getCorrelationData())
          .map(b -> new String(b, StandardCharsets.UTF_8));
      received.add(new Received(topic, body, correlation));
      String token = body.path("clientToken").asText();
      if (topic.endsWith("/get")) {
        String name = topic.contains("/twins/") ? topic.split("/")[3] : "default";
        reply(topic + "/accepted", "{\"name\":\"" + name + "\",\"version\":7,\"desired\":{\"interval\":30},"
            + "\"reported\":{\"interval\":60},\"delta\":{\"interval\":30},\"metadata\":{\"desired\":{\"interval\":"
            + "{\"updatedAt\":\"2026-01-01T00:00:00Z\"}},\"reported\":{}},\"clientToken\":\"" + token + "\"}");
      } else if (topic.endsWith("/report")) {
        if (body.has("version") && body.path("version").asLong() != 7) {
          reply(topic + "/rejected", "{\"code\":409,\"error\":\"stale-version\",\"message\":\"the twin is at version 7"
              + "\",\"clientToken\":\"" + token + "\"}");
        } else {
          reply(topic + "/accepted", "{\"version\":8,\"clientToken\":\"" + token + "\"}");
        }
      }
    }

    private void reply(String topic, String body) {
      Thread.ofVirtual().start(() -> {
        try {
          platform.publish(topic, json(body), 1, false);
        } catch (MqttException e) {
          throw new IllegalStateException(e);
        }
      });
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
  }
}
