package io.flotilla.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MQTT 5 subscription identifiers, with the Paho v5 asynchronous client (which can set them). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubscriptionIdentifierIT {

  static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** One delivery for two overlapping subscriptions, at the higher QoS, carrying both identifiers. */
  @Test
  void overlappingSubscriptionsSendAllTheirIdentifiers() throws Exception {
    BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
    MqttAsyncClient sub = new MqttAsyncClient(broker.tcpUri(), "subid-sub", new MemoryPersistence());
    sub.setCallback(new MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse r) {
      }

      @Override
      public void mqttErrorOccurred(MqttException e) {
      }

      @Override
      public void messageArrived(String topic, MqttMessage m) {
        inbox.add(m);
      }

      @Override
      public void deliveryComplete(IMqttToken t) {
      }

      @Override
      public void connectComplete(boolean reconnect, String uri) {
      }

      @Override
      public void authPacketArrived(int code, MqttProperties p) {
      }
    });
    sub.connect(new MqttConnectionOptions()).waitForCompletion(5000);
    MqttProperties seven = new MqttProperties();
    seven.setSubscriptionIdentifier(7);
    sub.subscribe(new MqttSubscription[] {new MqttSubscription("subid/#", 1)}, null, null, seven).waitForCompletion(5000);
    MqttProperties nine = new MqttProperties();
    nine.setSubscriptionIdentifier(9);
    sub.subscribe(new MqttSubscription[] {new MqttSubscription("subid/+", 0)}, null, null, nine).waitForCompletion(5000);
    MqttAsyncClient pub = new MqttAsyncClient(broker.tcpUri(), "subid-pub", new MemoryPersistence());
    pub.connect(new MqttConnectionOptions()).waitForCompletion(5000);
    MqttMessage m = new MqttMessage("both".getBytes(StandardCharsets.UTF_8));
    m.setQos(1);
    pub.publish("subid/x", m).waitForCompletion(5000);
    MqttMessage got = inbox.poll(5, TimeUnit.SECONDS);
    assertThat(got).isNotNull();
    assertThat(got.getQos()).isEqualTo(1);
    assertThat(got.getProperties().getSubscriptionIdentifiers()).containsExactlyInAnyOrder(7, 9);
    assertThat(inbox.poll(300, TimeUnit.MILLISECONDS)).isNull();
    sub.disconnect().waitForCompletion(5000);
    pub.disconnect().waitForCompletion(5000);
    sub.close();
    pub.close();
  }
}
