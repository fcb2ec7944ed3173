package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Eclipse Paho MQTT 5 clients against a test server's plain MQTT port, logging in with a user name and password. */
final class PahoV5 {
  private PahoV5() {}

  /** A connected client (clean start, no automatic reconnect). */
  static MqttClient connect(int port, String clientId, String user, String password) throws MqttException {
    MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
    client.connect(options(user, password));
    return client;
  }

  /** The refusal of a connect that must fail; an accepted connect fails the test. */
  static MqttException connectFails(int port, String clientId, String user, String password) throws MqttException {
    MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
    try {
      client.connect(options(user, password));
      client.disconnect();
      throw new AssertionError("the connection should have been refused");
    } catch (MqttException e) {
      return e;
    } finally {
      client.close();
    }
  }

  /**
   * A connected asynchronous client (clean start, no automatic reconnect) whose received messages go to
   * {@code onMessage} (topic, message) from the start; the caller closes it.
   */
  static MqttAsyncClient connectAsync(int port, String clientId, String user, String password,
      BiConsumer<String, MqttMessage> onMessage) throws MqttException {
    MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
    client.setCallback(new MessagesOnly(onMessage));
    client.connect(options(user, password)).waitForCompletion(5000);
    return client;
  }

  /** Publishes at QoS 1 and returns the token once the PUBACK is in, whatever its reason code. */
  static IMqttToken publishAwaitingAck(MqttAsyncClient client, String topic, String payload) throws MqttException {
    MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
    message.setQos(1);
    IMqttToken token = client.publish(topic, message);
    try {
      token.waitForCompletion(10_000);
    } catch (MqttException e) {
      // Paho reports a PUBACK with an error reason code as an exception; the token still holds the ack.
    }
    assertThat(token.isComplete()).as("PUBACK for " + topic).isTrue();
    return token;
  }

  /** A callback that hands over received messages and ignores everything else. */
  static MqttCallback onMessage(BiConsumer<String, MqttMessage> onMessage) {
    return new MessagesOnly(onMessage);
  }

  private record MessagesOnly(BiConsumer<String, MqttMessage> onMessage) implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      onMessage.accept(topic, message);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
  }

  private static MqttConnectionOptions options(String user, String password) {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName(user);
    options.setPassword(password.getBytes(StandardCharsets.UTF_8));
    options.setAutomaticReconnect(false);
    options.setCleanStart(true);
    options.setConnectionTimeout(5);
    return options;
  }
}
