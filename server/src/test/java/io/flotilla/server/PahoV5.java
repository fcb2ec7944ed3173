package io.flotilla.server;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

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
