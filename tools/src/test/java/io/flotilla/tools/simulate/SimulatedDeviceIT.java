package io.flotilla.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.json.Json;
import io.flotilla.device.DeviceScheduler;
import io.flotilla.device.FlotillaDevice;
import io.flotilla.gateway.mqtt.BrokerConfig;
import io.flotilla.gateway.mqtt.MqttBroker;
import io.flotilla.gateway.mqtt.auth.MqttAuthorizer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
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
 * One simulated device against the embedded broker, with a Paho client playing the platform: it applies the
 * twin values it understands and reports exactly those back, answers reboot, refuses a bad set-interval, and
 * publishes faster after a good one.
 */
@Timeout(60)
class SimulatedDeviceIT {
  MqttBroker broker;
  MqttClient platform;
  ScheduledExecutorService scheduler = DeviceScheduler.create(1);
  SimulatedDevice device;
  final SimulationStats stats = new SimulationStats();
  final Map<String, JsonNode> seen = new ConcurrentHashMap<>();
  final Map<String, Integer> telemetry = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws MqttException {
    broker = MqttBroker.builder(BrokerConfig.defaults().withBindAddress("127.0.0.1").withPort(0))
        .authorizer(MqttAuthorizer.allowAll()).build().start();
    platform = new MqttClient("tcp://127.0.0.1:" + broker.port(), "platform", new MemoryPersistence());
    platform.setCallback(new Recorder());
    platform.connect();
    platform.subscribe(new String[] {"devices/sim-1/twin/report", "devices/sim-1/commands/+/response",
        "devices/sim-1/telemetry"}, new int[] {1, 1, 0});
    device = new SimulatedDevice("sim-1", FlotillaDevice.builder("tcp://127.0.0.1:" + broker.port(), "sim-1")
        .scheduler(scheduler), scheduler, SensorProfile.ENVIRONMENT, Duration.ofSeconds(1), stats, 42);
    device.start();
    await().atMost(Duration.ofSeconds(10)).until(device::isConnected);
  }

  @AfterEach
  void stop() throws MqttException {
    device.close();
    scheduler.shutdownNow();
    platform.disconnect();
    platform.close();
    broker.close();
  }

  @Test
  void appliesAndReportsTheDesiredValuesItUnderstands() throws Exception {
    platform.publish("devices/sim-1/twin/delta", json("{\"version\":3,\"delta\":{\"interval\":0.5,\"mode\":\"eco\","
        + "\"colour\":\"red\"}}"), 1, false);
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.containsKey("devices/sim-1/twin/report"));
    JsonNode report = seen.get("devices/sim-1/twin/report");
    assertThat(report.path("reported").toString()).isEqualTo("{\"interval\":0.5,\"mode\":\"eco\"}");
    platform.publish("devices/sim-1/twin/report/accepted", json("{\"version\":4,\"clientToken\":\""
        + report.path("clientToken").asText() + "\"}"), 1, false);
    await().atMost(Duration.ofSeconds(5)).until(() -> stats.twinUpdates() == 1);
  }

  @Test
  void answersCommandsAndPublishesFasterAfterSetInterval() throws Exception {
    command("c-1", "{\"id\":\"c-1\",\"name\":\"reboot\"}");
    command("c-2", "{\"id\":\"c-2\",\"name\":\"set-interval\",\"payload\":{\"seconds\":-1}}");
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    assertThat(seen.get("devices/sim-1/commands/c-1/response").path("result").path("rebootedAt").asText()).isNotBlank();
    assertThat(seen.get("devices/sim-1/commands/c-2/response").path("status").asText()).isEqualTo("failed");

    int before = telemetry.getOrDefault("count", 0);
    Thread.sleep(2000);
    int perTwoSecondsSlow = telemetry.getOrDefault("count", 0) - before;
    command("c-3", "{\"id\":\"c-3\",\"name\":\"set-interval\",\"payload\":0.1}");
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.containsKey("devices/sim-1/commands/c-3/response"));
    before = telemetry.getOrDefault("count", 0);
    Thread.sleep(2000);
    int perTwoSecondsFast = telemetry.getOrDefault("count", 0) - before;
    assertThat(perTwoSecondsSlow).isBetween(1, 3);
    assertThat(perTwoSecondsFast).isGreaterThan(10);
    assertThat(stats.commands()).isEqualTo(3);
  }

  private void command(String id, String body) throws MqttException {
    MqttProperties properties = new MqttProperties();
    properties.setCorrelationData(id.getBytes(StandardCharsets.UTF_8));
    platform.publish("devices/sim-1/commands/" + id, new MqttMessage(json(body), 1, false, properties));
  }

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private final class Recorder implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      if (topic.endsWith("/telemetry")) {
        telemetry.merge("count", 1, Integer::sum);
      } else {
        seen.put(topic, Json.readTrusted(new String(message.getPayload(), StandardCharsets.UTF_8)));
      }
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
