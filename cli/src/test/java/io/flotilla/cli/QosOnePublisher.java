package io.flotilla.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;

/**
 * One device publishing {@code {"seq":N}} at QoS 1 to its telemetry topic as fast as its in-flight window
 * allows, N counting up from 1, and recording which N the broker acknowledged. The client keeps its
 * session (clean session off) and its in-flight messages in files, and reconnects by itself, so that
 * after a broker crash it sends again whatever was not acknowledged, as a real device would.
 */
final class QosOnePublisher implements AutoCloseable {
  private static final int IN_FLIGHT = 100;

  private final String deviceId;
  private final MqttAsyncClient client;
  private final Semaphore window = new Semaphore(IN_FLIGHT);
  private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicLong lastPublished = new AtomicLong();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger ackWithoutSequence = new AtomicInteger();
  private final Thread loop;
  private volatile boolean publishing = true;

  private QosOnePublisher(String deviceId, MqttAsyncClient client) {
    this.deviceId = deviceId;
    this.client = client;
    this.loop = Thread.ofPlatform().name("publisher-" + deviceId).daemon().unstarted(this::publishUntilStopped);
  }

  /** Connects the device (id as client id and user name, its token as password) and starts publishing. */
  static QosOnePublisher start(int mqttPort, String deviceId, String token, Path persistenceDir)
      throws MqttException {
    MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + mqttPort, deviceId,
        new MqttDefaultFilePersistence(persistenceDir.toString()));
    QosOnePublisher publisher = new QosOnePublisher(deviceId, client);
    client.setCallback(publisher.new Acknowledgements());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setUserName(deviceId);
    options.setPassword(token.toCharArray());
    options.setCleanSession(false);
    options.setMaxInflight(IN_FLIGHT);
    options.setAutomaticReconnect(true);
    // Paho doubles its reconnect delay up to two minutes by default; the restarted server should not wait for that.
    options.setMaxReconnectDelay(1000);
    options.setConnectionTimeout(10);
    try {
      client.connect(options).waitForCompletion(30_000);
    } catch (MqttException refused) {
      client.close(true);
      throw refused;
    }
    publisher.loop.start();
    return publisher;
  }

  String deviceId() {
    return deviceId;
  }

  /** A copy of the sequence numbers acknowledged so far. */
  Set<Long> acknowledged() {
    return new TreeSet<>(acknowledged);
  }

  int acknowledgedCount() {
    return acknowledged.size();
  }

  /** The highest sequence number handed to the client: every one from 1 to it must be acknowledged in the end. */
  long lastPublished() {
    return lastPublished.get();
  }

  /** Messages the client holds that the broker has not acknowledged yet. */
  int pending() {
    return client.getPendingDeliveryTokens().length;
  }

  /** How many times the client connected; 2 or more after a broker restart. */
  int connections() {
    return connections.get();
  }

  /** Acknowledgements whose message Paho could not name; always 0 unless Paho lost a token. */
  int acknowledgementsWithoutSequence() {
    return ackWithoutSequence.get();
  }

  /** Stops handing new messages to the client; the ones it holds are still sent and resent. */
  void stopPublishing() throws InterruptedException {
    publishing = false;
    loop.join(10_000);
  }

  @Override
  public void close() throws InterruptedException {
    publishing = false;
    loop.join(10_000);
    try {
      if (client.isConnected()) {
        client.disconnect(5_000).waitForCompletion(10_000);
      }
    } catch (MqttException brokerGone) {
      // A failed test may leave no broker to say goodbye to; the client is closed all the same.
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      throw new IllegalStateException("Paho could not close the client of " + deviceId, e);
    }
  }

  private void publishUntilStopped() {
    long next = 1;
    try {
      while (publishing) {
        if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        MqttMessage message = new MqttMessage(("{\"seq\":" + next + "}").getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        try {
          // The sequence number rides on the token: Paho forgets the message once it is delivered.
          client.publish("devices/" + deviceId + "/telemetry", message, next, null);
          lastPublished.set(next);
          next++;
        } catch (MqttException notAccepted) {
          // Disconnected, or Paho's own window is full: the message was not taken; try the same number again.
          window.release();
          Thread.sleep(20);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Paho's callbacks: a delivery is complete when the broker's PUBACK arrived, never on a failure. */
  private final class Acknowledgements implements MqttCallbackExtended {
    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      if (token.getUserContext() instanceof Long sequence) {
        acknowledged.add(sequence);
      } else {
        ackWithoutSequence.incrementAndGet();
      }
      window.release();
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      connections.incrementAndGet();
    }

    @Override
    public void connectionLost(Throwable cause) {
      // Automatic reconnect takes over; in-flight messages stay in the file persistence until acknowledged.
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
    }
  }
}
