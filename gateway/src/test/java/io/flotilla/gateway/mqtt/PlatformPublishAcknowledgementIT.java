package io.flotilla.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.core.broker.BrokerMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
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

/**
 * The hook commands need: a message the platform publishes with an acknowledgement callback reports the client id
 * of each session whose client acknowledged it — only once its PUBACK arrived, never for QoS 0 copies.
 */
@Timeout(30)
class PlatformPublishAcknowledgementIT {
  private TestBroker broker;
  private final List<MqttClient> clients = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    broker = TestBroker.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (MqttClient client : clients) {
      if (client.isConnected()) {
        client.disconnect();
      }
      client.close();
    }
    broker.close();
  }

  /** The device's PUBACK (sent when the test says so) fires the callback with its client id; the QoS 0 watcher's copy does not. */
  @Test
  void callbackRunsWhenTheSubscriberAcknowledges() throws Exception {
    BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
    MqttClient device = client("d1", "default/device/d1");
    device.setManualAcks(true);
    device.subscribe("devices/d1/commands/+", 1, (topic, message) -> received.add(message));
    MqttClient watcher = client("watcher", "default/app/watcher");
    BlockingQueue<String> watched = new LinkedBlockingQueue<>();
    watcher.subscribe("devices/#", 0, (topic, message) -> watched.add(topic));

    List<String> acknowledgedBy = new CopyOnWriteArrayList<>();
    int deliveries = broker.broker.publish("default", message("devices/d1/commands/c1"), acknowledgedBy::add);

    assertThat(deliveries).isEqualTo(2);
    MqttMessage command = received.poll(5, TimeUnit.SECONDS);
    assertThat(command).isNotNull();
    assertThat(watched.poll(5, TimeUnit.SECONDS)).isEqualTo("devices/d1/commands/c1");
    Thread.sleep(300);
    assertThat(acknowledgedBy).as("no PUBACK sent yet").isEmpty();
    device.messageArrivedComplete(command.getId(), command.getQos());
    await().atMost(Duration.ofSeconds(5)).until(() -> acknowledgedBy.equals(List.of("d1")));
  }

  /** A message published without a callback, and ordinary client traffic, are delivered as before. */
  @Test
  void publishWithoutCallbackIsDeliveredAsBefore() throws Exception {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    MqttClient device = client("d2", "default/device/d2");
    device.subscribe("devices/d2/commands/+", 1, (topic, message) -> received.add(topic));
    assertThat(broker.broker.publish("default", message("devices/d2/commands/c2"))).isEqualTo(1);
    assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("devices/d2/commands/c2");
    assertThat(broker.broker.publish("default", message("devices/nobody/commands/c3"), id -> {
      throw new AssertionError("nobody subscribes, nobody acknowledges");
    })).isZero();
  }

  private MqttClient client(String clientId, String user) throws Exception {
    MqttClient client = new MqttClient(broker.tcpUri(), clientId, new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName(user);
    options.setPassword(TestBroker.PASSWORD.toCharArray());
    options.setCleanSession(true);
    options.setConnectionTimeout(5);
    client.connect(options);
    clients.add(client);
    return client;
  }

  private static BrokerMessage message(String topic) {
    return new BrokerMessage(topic, "{\"id\":\"c\"}".getBytes(StandardCharsets.UTF_8), 1, false, Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), true, List.of(), Instant.now());
  }
}
