package io.flotilla.server;

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
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A device on Eclipse Paho MQTT 5 that takes commands as the device contract says: it subscribes to
 * {@code devices/{id}/commands/+} and to the rejections of its answers, and answers on the response topic with
 * the command's correlation data (or another, to be refused).
 */
final class CommandDevice implements MqttCallback, AutoCloseable {
  /** A message the device received: topic, payload and MQTT 5 properties. */
  record Received(String topic, String payload, MqttProperties properties) {}

  private final MqttAsyncClient client;
  private final String deviceId;
  final BlockingQueue<Received> commands = new LinkedBlockingQueue<>();
  final BlockingQueue<Received> rejections = new LinkedBlockingQueue<>();

  private CommandDevice(MqttAsyncClient client, String deviceId) {
    this.client = client;
    this.deviceId = deviceId;
  }

  static CommandDevice connect(int port, String deviceId, String token) throws MqttException {
    MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + port, deviceId, new MemoryPersistence());
    CommandDevice device = new CommandDevice(client, deviceId);
    client.setCallback(device);
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName(deviceId);
    options.setPassword(token.getBytes(StandardCharsets.UTF_8));
    options.setAutomaticReconnect(false);
    options.setCleanStart(true);
    options.setConnectionTimeout(5);
    client.connect(options).waitForCompletion(5000);
    client.subscribe(new String[] {"devices/" + deviceId + "/commands/+",
        "devices/" + deviceId + "/commands/+/response/rejected"}, new int[] {1, 1}).waitForCompletion(5000);
    return device;
  }

  /** The next command, within 10 s. */
  Received nextCommand() throws InterruptedException {
    Received command = commands.poll(10, TimeUnit.SECONDS);
    assertThat(command).as("a command for " + deviceId).isNotNull();
    return command;
  }

  /** Publishes an answer at QoS 1 with this correlation data (none when null); returns once the PUBACK is in. */
  IMqttToken answer(String topic, byte[] correlation, String payload) throws MqttException {
    MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
    message.setQos(1);
    if (correlation != null) {
      MqttProperties properties = new MqttProperties();
      properties.setCorrelationData(correlation);
      message.setProperties(properties);
    }
    IMqttToken token = client.publish(topic, message);
    try {
      token.waitForCompletion(10_000);
    } catch (MqttException e) {
      // Paho reports a PUBACK with an error reason code as an exception; the token still holds the ack.
    }
    assertThat(token.isComplete()).as("PUBACK for " + topic).isTrue();
    return token;
  }

  /** Answers a received command on its response topic, echoing its correlation data. */
  IMqttToken answer(Received command, String payload) throws MqttException {
    return answer(command.properties().getResponseTopic(), command.properties().getCorrelationData(), payload);
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) {
    Received received = new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
        message.getProperties());
    (topic.endsWith("/rejected") ? rejections : commands).add(received);
  }

  @Override
  public void disconnected(MqttDisconnectResponse response) {
  }

  @Override
  public void mqttErrorOccurred(MqttException exception) {
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

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect().waitForCompletion(5000);
    }
    client.close();
  }
}
