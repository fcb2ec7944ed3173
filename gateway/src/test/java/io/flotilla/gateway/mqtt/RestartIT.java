package io.flotilla.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.tenant.Tenant;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.gateway.mqtt.store.BrokerStateStore;
import io.flotilla.gateway.mqtt.store.InMemoryBrokerStateStore;
import io.flotilla.gateway.mqtt.store.RegistryBrokerStateStore;
import io.flotilla.store.sql.RegistryStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moquette-style restart: a persistent subscriber goes away, a message is queued for it, the broker
 * stops and starts again on the same store, and the subscriber gets the queued message and nothing
 * else; the retained message and the subscription survive too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestartIT {

  /** The same store object across two broker lifetimes (the broker's own restart logic). */
  @Test
  void queuedMessageAndRetainedSurviveARestartInMemory() throws Exception {
    restartScenario(new InMemoryBrokerStateStore());
  }

  /** The real registry on SQLite: everything goes through the database file. */
  @Test
  void queuedMessageAndRetainedSurviveARestartOnSqlite(@TempDir Path dir) throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("registry.db");
    try (RegistryStore registry = RegistryStores.open(url)) {
      Instant now = Instant.now();
      registry.write(tx -> {
        tx.tenants().insert(new Tenant(TenantId.DEFAULT, "Default", now, now, 1));
        return null;
      });
    }
    try (RegistryStore first = RegistryStores.open(url)) {
      phaseOne(new RegistryBrokerStateStore(first));
    }
    try (RegistryStore second = RegistryStores.open(url)) {
      phaseTwo(new RegistryBrokerStateStore(second));
    }
  }

  private static void restartScenario(BrokerStateStore store) throws Exception {
    phaseOne(store);
    phaseTwo(store);
  }

  /** Subscribe persistently, go away, get a message queued and a retained one stored; stop the broker. */
  private static void phaseOne(BrokerStateStore store) throws Exception {
    try (TestBroker broker = TestBroker.start(c -> c, store, ConnectionListener.NONE)) {
      MqttClient sub = new MqttClient(broker.tcpUri(), "restart-sub", new MemoryPersistence());
      sub.connect(options(false));
      sub.subscribe("restart/t", 1);
      sub.disconnect();
      sub.close();
      MqttClient pub = new MqttClient(broker.tcpUri(), "restart-pub", new MemoryPersistence());
      pub.connect(options(true));
      pub.publish("restart/t", bytes("queued before restart"), 1, false);
      pub.publish("restart/t", bytes("qos 0 is not queued"), 0, false);
      pub.publish("restart/retained", bytes("kept"), 1, true);
      pub.disconnect();
      pub.close();
      broker.broker.awaitStateWritten();
    }
  }

  /** Start again on the same store: the queued message arrives, once, and nothing else. */
  private static void phaseTwo(BrokerStateStore store) throws Exception {
    try (TestBroker broker = TestBroker.start(c -> c, store, ConnectionListener.NONE)) {
      BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
      MqttClient sub = new MqttClient(broker.tcpUri(), "restart-sub", new MemoryPersistence());
      sub.setCallback(collector(inbox));
      sub.connect(options(false));
      assertThat(inbox.poll(5, TimeUnit.SECONDS)).isEqualTo("restart/t queued before restart");
      assertThat(inbox.poll(500, TimeUnit.MILLISECONDS)).as("nothing else").isNull();
      MqttClient pub = new MqttClient(broker.tcpUri(), "restart-pub", new MemoryPersistence());
      pub.connect(options(true));
      pub.publish("restart/t", bytes("after restart"), 1, false);
      assertThat(inbox.poll(5, TimeUnit.SECONDS)).as("the subscription survived").isEqualTo("restart/t after restart");
      BlockingQueue<String> late = new LinkedBlockingQueue<>();
      MqttClient reader = new MqttClient(broker.tcpUri(), "restart-reader", new MemoryPersistence());
      reader.setCallback(collector(late));
      reader.connect(options(true));
      reader.subscribe("restart/retained", 1);
      assertThat(late.poll(5, TimeUnit.SECONDS)).isEqualTo("restart/retained kept");
      for (MqttClient c : new MqttClient[] {sub, pub, reader}) {
        c.disconnect();
        c.close();
      }
    }
  }

  private static MqttConnectOptions options(boolean clean) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(clean);
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    return o;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static MqttCallback collector(BlockingQueue<String> inbox) {
    return new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        inbox.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {
      }
    };
  }
}
