package io.flotilla.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MQTT 3.1.1 with the Eclipse Paho v3 client: QoS round trips, retained messages, wills, sessions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PahoV3IT {

  static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** A message as a test sees it. */
  record Received(String topic, String payload, int qos, boolean retained, boolean duplicate) {
  }

  static MqttClient client(String id, boolean clean) throws MqttException {
    return client(id, clean, null);
  }

  static MqttClient client(String id, boolean clean, MqttConnectOptions custom) throws MqttException {
    MqttClient c = new MqttClient(broker.tcpUri(), id, new MemoryPersistence());
    MqttConnectOptions o = custom == null ? new MqttConnectOptions() : custom;
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(clean);
    o.setAutomaticReconnect(false);
    c.connect(o);
    return c;
  }

  static BlockingQueue<Received> subscribe(MqttClient c, String filter, int qos) throws MqttException {
    BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    c.subscribe(filter, qos, (topic, m) -> inbox.add(new Received(topic, new String(m.getPayload(),
        StandardCharsets.UTF_8), m.getQos(), m.isRetained(), m.isDuplicate())));
    return inbox;
  }

  static void publish(MqttClient c, String topic, String payload, int qos, boolean retained) throws MqttException {
    MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
    m.setQos(qos);
    m.setRetained(retained);
    c.publish(topic, m);
  }

  /** Every QoS travels end to end and arrives with the QoS both sides agreed on. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void messagesRoundTripAtEachQos(int qos) throws Exception {
    MqttClient sub = client("v3-sub-" + qos, true);
    MqttClient pub = client("v3-pub-" + qos, true);
    BlockingQueue<Received> inbox = subscribe(sub, "qos/" + qos, 2);
    publish(pub, "qos/" + qos, "hello " + qos, qos, false);
    Received r = inbox.poll(5, TimeUnit.SECONDS);
    assertThat(r).isEqualTo(new Received("qos/" + qos, "hello " + qos, qos, false, false));
    sub.disconnect();
    pub.disconnect();
    sub.close();
    pub.close();
  }

  /** The subscription's QoS caps the delivery QoS. */
  @Test
  void deliveryQosIsTheLowerOfPublishAndSubscribe() throws Exception {
    MqttClient sub = client("v3-cap-sub", true);
    MqttClient pub = client("v3-cap-pub", true);
    BlockingQueue<Received> inbox = subscribe(sub, "cap/t", 1);
    publish(pub, "cap/t", "x", 2, false);
    assertThat(inbox.poll(5, TimeUnit.SECONDS).qos()).isEqualTo(1);
    sub.disconnect();
    pub.disconnect();
  }

  static MqttConnectOptions asApplication(String tenant) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(tenant + "/app/tester");
    o.setPassword(TestBroker.PASSWORD.toCharArray());
    return o;
  }

  /** A retained message is sent to later subscribers, replaced by the next one, and cleared by an empty one. */
  @Test
  void retainedMessagesAreSetReplacedAndCleared() throws Exception {
    MqttClient pub = client("v3-ret-pub", true);
    publish(pub, "retained/a", "first", 1, true);
    publish(pub, "retained/a", "second", 1, true);
    MqttClient sub1 = client("v3-ret-sub1", true);
    BlockingQueue<Received> inbox1 = subscribe(sub1, "retained/+", 1);
    assertThat(inbox1.poll(5, TimeUnit.SECONDS)).isEqualTo(new Received("retained/a", "second", 1, true, false));
    assertThat(inbox1.poll(300, TimeUnit.MILLISECONDS)).isNull();
    // A live subscriber gets a retained publish without the RETAIN flag (MQTT-3.3.1-9).
    publish(pub, "retained/a", "third", 1, true);
    assertThat(inbox1.poll(5, TimeUnit.SECONDS)).isEqualTo(new Received("retained/a", "third", 1, false, false));
    publish(pub, "retained/a", "", 1, true);
    assertThat(inbox1.poll(5, TimeUnit.SECONDS).payload()).isEmpty();
    MqttClient sub2 = client("v3-ret-sub2", true);
    BlockingQueue<Received> inbox2 = subscribe(sub2, "retained/#", 1);
    assertThat(inbox2.poll(500, TimeUnit.MILLISECONDS)).isNull();
    for (MqttClient c : new MqttClient[] {pub, sub1, sub2}) {
      c.disconnect();
    }
  }

  /** A client that vanishes without DISCONNECT has its will published; one that disconnects does not. */
  @Test
  void willIsPublishedWhenTheConnectionIsLostOnly() throws Exception {
    MqttClient watcher = client("v3-will-watcher", true);
    BlockingQueue<Received> inbox = subscribe(watcher, "wills/#", 1);
    MqttConnectOptions withWill = new MqttConnectOptions();
    withWill.setWill("wills/lost", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
    MqttClient polite = client("v3-will-polite", true, withWill);
    polite.disconnect();
    assertThat(inbox.poll(500, TimeUnit.MILLISECONDS)).isNull();
    MqttConnectOptions withWill2 = new MqttConnectOptions();
    withWill2.setWill("wills/lost", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
    MqttClient rude = client("v3-will-rude", true, withWill2);
    rude.disconnectForcibly(0, 0, false); // closes the socket without DISCONNECT
    assertThat(inbox.poll(5, TimeUnit.SECONDS)).isEqualTo(new Received("wills/lost", "gone", 1, false, false));
    watcher.disconnect();
  }

  /** QoS 1 messages published while a persistent-session client is away reach it when it comes back. */
  @Test
  void persistentSessionReceivesMessagesQueuedWhileOffline() throws Exception {
    MqttClient sub = client("v3-persistent", false);
    sub.subscribe("queued/t", 1);
    sub.disconnect();
    sub.close();
    MqttClient pub = client("v3-persistent-pub", true);
    for (int i = 0; i < 5; i++) {
      publish(pub, "queued/t", "m" + i, 1, false);
    }
    publish(pub, "queued/t", "qos0 is not queued", 0, false);
    BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    MqttClient back = new MqttClient(broker.tcpUri(), "v3-persistent", new MemoryPersistence());
    back.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
      }

      @Override
      public void messageArrived(String topic, MqttMessage m) {
        inbox.add(new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.getQos(), m.isRetained(),
            m.isDuplicate()));
      }

      @Override
      public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
      }
    });
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(false);
    back.connect(o);
    for (int i = 0; i < 5; i++) {
      assertThat(inbox.poll(5, TimeUnit.SECONDS).payload()).isEqualTo("m" + i);
    }
    assertThat(inbox.poll(300, TimeUnit.MILLISECONDS)).isNull();
    back.disconnect();
    // Clean session discards the stored session.
    MqttClient clean = client("v3-persistent", true);
    clean.disconnect();
    org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS)
        .until(() -> broker.broker.session("default", "v3-persistent").isEmpty());
    pub.disconnect();
  }

  /** A second connection with the same client id closes the first and keeps its subscriptions. */
  @Test
  void secondConnectionTakesTheSessionOver() throws Exception {
    MqttClient first = client("v3-takeover", false);
    first.subscribe("takeover/t", 1);
    BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    MqttClient second = new MqttClient(broker.tcpUri(), "v3-takeover", new MemoryPersistence());
    second.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
      }

      @Override
      public void messageArrived(String topic, MqttMessage m) {
        inbox.add(new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.getQos(), false, false));
      }

      @Override
      public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
      }
    });
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(false);
    MqttConnectOptions.class.getName();
    second.connect(o);
    org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> !first.isConnected());
    MqttClient pub = client("v3-takeover-pub", true);
    publish(pub, "takeover/t", "to the new connection", 1, false);
    assertThat(inbox.poll(5, TimeUnit.SECONDS).payload()).isEqualTo("to the new connection");
    second.disconnect();
    pub.disconnect();
  }

  /** {@code +} and {@code #} match as the specification says, including "sport/#" matching "sport". */
  @Test
  void wildcardsMatchLevels() throws Exception {
    MqttClient sub = client("v3-wild-sub", true);
    MqttClient pub = client("v3-wild-pub", true);
    BlockingQueue<Received> plus = subscribe(sub, "sport/+/player", 0);
    BlockingQueue<Received> hash = new LinkedBlockingQueue<>();
    sub.subscribe("sport/tennis/#", 0, (t, m) -> hash.add(new Received(t, new String(m.getPayload()), 0, false, false)));
    publish(pub, "sport/tennis/player", "a", 0, false);
    publish(pub, "sport/tennis", "b", 0, false);
    publish(pub, "sport/tennis/player/ranking", "c", 0, false);
    publish(pub, "sport/golf/player", "d", 0, false);
    assertThat(plus.poll(5, TimeUnit.SECONDS).payload()).isEqualTo("a");
    assertThat(plus.poll(5, TimeUnit.SECONDS).payload()).isEqualTo("d");
    assertThat(List.of(hash.poll(5, TimeUnit.SECONDS).payload(), hash.poll(5, TimeUnit.SECONDS).payload(),
        hash.poll(5, TimeUnit.SECONDS).payload())).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(plus.poll(200, TimeUnit.MILLISECONDS)).isNull();
    sub.disconnect();
    pub.disconnect();
  }

  /** Topics starting with $ are not matched by a wildcard at the first level (MQTT-4.7.2-1). */
  @Test
  void dollarTopicsAreNotMatchedByLeadingWildcards() throws Exception {
    // Two clients: Paho hands a message to the first local listener whose filter matches, whatever the broker did.
    MqttClient sub = client("v3-dollar-sub", true, asApplication("default"));
    MqttClient sub2 = client("v3-dollar-sub2", true, asApplication("default"));
    MqttClient pub = client("v3-dollar-pub", true, asApplication("default"));
    BlockingQueue<Received> all = subscribe(sub, "#", 0);
    BlockingQueue<Received> explicit = subscribe(sub2, "$internal/+", 0);
    publish(pub, "$internal/x", "hidden", 0, false);
    publish(pub, "visible", "shown", 0, false);
    assertThat(explicit.poll(5, TimeUnit.SECONDS).payload()).isEqualTo("hidden");
    assertThat(all.poll(5, TimeUnit.SECONDS).payload()).isEqualTo("shown");
    assertThat(all.poll(200, TimeUnit.MILLISECONDS)).isNull();
    sub.disconnect();
    sub2.disconnect();
    pub.disconnect();
  }

  /** Overlapping subscriptions deliver once, at the highest of their QoS. */
  @Test
  void overlappingSubscriptionsDeliverOnceAtTheHighestQos() throws Exception {
    MqttClient sub = client("v3-overlap-sub", true);
    MqttClient pub = client("v3-overlap-pub", true);
    BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    sub.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
      }

      @Override
      public void messageArrived(String topic, MqttMessage m) {
        inbox.add(new Received(topic, new String(m.getPayload()), m.getQos(), false, false));
      }

      @Override
      public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
      }
    });
    sub.subscribe(new String[] {"overlap/#", "overlap/+", "overlap/a"}, new int[] {0, 2, 1});
    publish(pub, "overlap/a", "once", 2, false);
    assertThat(inbox.poll(5, TimeUnit.SECONDS)).isEqualTo(new Received("overlap/a", "once", 2, false, false));
    assertThat(inbox.poll(300, TimeUnit.MILLISECONDS)).isNull();
    sub.disconnect();
    pub.disconnect();
  }

  /** A wrong password is refused with return code 4, a banned user with 5. */
  @Test
  void refusedCredentialsGetTheirReturnCodes() {
    MqttConnectOptions wrong = new MqttConnectOptions();
    wrong.setUserName("default/app/x");
    wrong.setPassword("nope".toCharArray());
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(MqttException.class,
        () -> client("v3-wrong", true, wrong)).getReasonCode()).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
    MqttConnectOptions banned = new MqttConnectOptions();
    banned.setUserName("banned");
    banned.setPassword("x".toCharArray());
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(MqttException.class,
        () -> client("v3-banned", true, banned)).getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
  }
}
