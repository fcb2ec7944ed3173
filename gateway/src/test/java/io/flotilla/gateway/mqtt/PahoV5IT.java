package io.flotilla.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MQTT 5 with the Eclipse Paho v5 client: properties, wills with delay, expiry, sessions, take-over. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PahoV5IT {

  static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** A client with an inbox of received messages and the disconnect it was told about. */
  static final class Client implements MqttCallback, AutoCloseable {
    final MqttClient mqtt;
    final BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
    final BlockingQueue<String> topics = new LinkedBlockingQueue<>();
    volatile MqttDisconnectResponse disconnect;
    IMqttToken connectToken;

    Client(String id) throws MqttException {
      mqtt = new MqttClient(broker.tcpUri(), id, new MemoryPersistence());
      mqtt.setCallback(this);
    }

    static Client connect(String id, boolean cleanStart, long sessionExpiry) throws MqttException {
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setCleanStart(cleanStart);
      o.setSessionExpiryInterval(sessionExpiry);
      return connect(id, o);
    }

    static Client connect(String id, MqttConnectionOptions o) throws MqttException {
      Client c = new Client(id);
      o.setAutomaticReconnect(false);
      c.connectToken = c.mqtt.connectWithResult(o);
      return c;
    }

    void subscribe(String filter, int qos) throws MqttException {
      mqtt.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)});
    }

    MqttMessage next() throws InterruptedException {
      return inbox.poll(5, TimeUnit.SECONDS);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      disconnect = response;
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      topics.add(topic);
      inbox.add(message);
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
      if (mqtt.isConnected()) {
        mqtt.disconnect();
      }
      mqtt.close(true);
    }
  }

  static MqttMessage message(String payload, int qos) {
    MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
    m.setQos(qos);
    return m;
  }

  static String text(MqttMessage m) {
    return new String(m.getPayload(), StandardCharsets.UTF_8);
  }

  /** Every QoS round-trips on MQTT 5. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void messagesRoundTripAtEachQos(int qos) throws Exception {
    try (Client sub = Client.connect("v5-sub-" + qos, true, 0); Client pub = Client.connect("v5-pub-" + qos, true, 0)) {
      sub.subscribe("v5/qos/" + qos, 2);
      pub.mqtt.publish("v5/qos/" + qos, message("hi", qos));
      MqttMessage m = sub.next();
      assertThat(text(m)).isEqualTo("hi");
      assertThat(m.getQos()).isEqualTo(qos);
    }
  }

  /** User properties, content type, payload format, response topic and correlation data pass through unchanged. */
  @Test
  void requestResponsePropertiesPassThrough() throws Exception {
    try (Client sub = Client.connect("v5-props-sub", true, 0); Client pub = Client.connect("v5-props-pub", true, 0)) {
      sub.subscribe("v5/request", 1);
      MqttMessage m = message("{\"q\":1}", 1);
      MqttProperties p = new MqttProperties();
      p.setUserProperties(List.of(new UserProperty("k1", "v1"), new UserProperty("k1", "v2"), new UserProperty("k2", "v")));
      p.setContentType("application/json");
      p.setPayloadFormat(true);
      p.setResponseTopic("v5/response/42");
      p.setCorrelationData(new byte[] {1, 2, 3});
      m.setProperties(p);
      pub.mqtt.publish("v5/request", m);
      MqttProperties got = sub.next().getProperties();
      assertThat(got.getUserProperties()).extracting(UserProperty::getKey, UserProperty::getValue)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("k1", "v1"), org.assertj.core.groups.Tuple.tuple("k1", "v2"),
              org.assertj.core.groups.Tuple.tuple("k2", "v"));
      assertThat(got.getContentType()).isEqualTo("application/json");
      assertThat(got.getPayloadFormat()).isTrue();
      assertThat(got.getResponseTopic()).isEqualTo("v5/response/42");
      assertThat(got.getCorrelationData()).containsExactly(1, 2, 3);
    }
  }

  /** An empty client id gets a server-assigned one, announced in CONNACK. */
  @Test
  void emptyClientIdIsAssigned() throws Exception {
    MqttConnectionOptions o = new MqttConnectionOptions();
    try (Client c = Client.connect("", o)) {
      String assigned = c.connectToken.getResponseProperties().getAssignedClientIdentifier();
      assertThat(assigned).isNotBlank();
      assertThat(broker.broker.session("default", assigned)).isPresent();
    }
  }

  /** A will with a delay is held back for the delay and then published. */
  @Test
  void willDelayHoldsTheWillBack() throws Exception {
    try (Client watcher = Client.connect("v5-willdelay-watch", true, 0)) {
      watcher.subscribe("v5/will/delayed", 1);
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setSessionExpiryInterval(60L);
      o.setWill("v5/will/delayed", message("late", 1));
      MqttProperties wp = new MqttProperties();
      wp.setWillDelayInterval(2L);
      o.setWillMessageProperties(wp);
      Client dying = Client.connect("v5-willdelay", o);
      long lost = System.nanoTime();
      dying.mqtt.disconnectForcibly(0, 0, false);
      MqttMessage will = watcher.inbox.poll(10, TimeUnit.SECONDS);
      assertThat(will).isNotNull();
      assertThat(text(will)).isEqualTo("late");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lost)).isGreaterThanOrEqualTo(1500);
      dying.mqtt.close(true);
    }
  }

  /** A client that comes back before its will delay ends stops the will. */
  @Test
  void reconnectingBeforeTheWillDelayCancelsTheWill() throws Exception {
    try (Client watcher = Client.connect("v5-willcancel-watch", true, 0)) {
      watcher.subscribe("v5/will/cancelled", 1);
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setSessionExpiryInterval(60L);
      o.setWill("v5/will/cancelled", message("should not", 1));
      MqttProperties wp = new MqttProperties();
      wp.setWillDelayInterval(2L);
      o.setWillMessageProperties(wp);
      Client dying = Client.connect("v5-willcancel", o);
      dying.mqtt.disconnectForcibly(0, 0, false);
      dying.mqtt.close(true);
      try (Client back = Client.connect("v5-willcancel", false, 60)) {
        assertThat(watcher.inbox.poll(3, TimeUnit.SECONDS)).isNull();
      }
    }
  }

  /** A retained message past its expiry interval is no longer sent; a live one carries its remaining interval. */
  @Test
  void expiredMessagesAreNotDelivered() throws Exception {
    try (Client pub = Client.connect("v5-expiry-pub", true, 0)) {
      MqttMessage shortLived = message("short", 1);
      shortLived.setRetained(true);
      MqttProperties p1 = new MqttProperties();
      p1.setMessageExpiryInterval(1L);
      shortLived.setProperties(p1);
      pub.mqtt.publish("v5/expiry/short", shortLived);
      MqttMessage longLived = message("long", 1);
      longLived.setRetained(true);
      MqttProperties p2 = new MqttProperties();
      p2.setMessageExpiryInterval(100L);
      longLived.setProperties(p2);
      pub.mqtt.publish("v5/expiry/long", longLived);
      Thread.sleep(2100);
      try (Client sub = Client.connect("v5-expiry-sub", true, 0)) {
        sub.subscribe("v5/expiry/+", 1);
        MqttMessage m = sub.next();
        assertThat(text(m)).isEqualTo("long");
        assertThat(m.getProperties().getMessageExpiryInterval()).isBetween(90L, 99L);
        assertThat(sub.inbox.poll(300, TimeUnit.MILLISECONDS)).isNull();
      }
    }
  }

  /** A session with an expiry interval outlives its connection for that long, then is gone. */
  @Test
  void sessionExpiresAfterItsInterval() throws Exception {
    Client c = Client.connect("v5-expiring", true, 1);
    c.subscribe("v5/expiring", 1);
    c.close();
    assertThat(broker.broker.session("default", "v5-expiring")).isPresent();
    await().atMost(5, TimeUnit.SECONDS).until(() -> broker.broker.session("default", "v5-expiring").isEmpty());
  }

  /** Messages queued for an offline MQTT 5 session arrive on reconnect, with session present. */
  @Test
  void offlineSessionGetsQueuedMessages() throws Exception {
    Client c = Client.connect("v5-offline", true, 300);
    c.subscribe("v5/offline", 1);
    c.close();
    try (Client pub = Client.connect("v5-offline-pub", true, 0)) {
      pub.mqtt.publish("v5/offline", message("while away", 1));
    }
    try (Client back = Client.connect("v5-offline", false, 300)) {
      assertThat(back.connectToken.getSessionPresent()).isTrue();
      assertThat(text(back.next())).isEqualTo("while away");
    }
  }

  /** The first connection is told "session taken over" (0x8E) when a second one uses its client id. */
  @Test
  void takenOverConnectionIsToldWhy() throws Exception {
    Client first = Client.connect("v5-takeover", true, 60);
    try (Client second = Client.connect("v5-takeover", false, 60)) {
      assertThat(second.connectToken.getSessionPresent()).isTrue();
      await().atMost(5, TimeUnit.SECONDS).until(() -> first.disconnect != null);
      assertThat(first.disconnect.getReturnCode()).isEqualTo(0x8E);
    }
    first.mqtt.close(true);
  }

  /** A will whose delay outlasts the session is published when the session ends (MQTT 5 section 3.1.3.2.2). */
  @Test
  void willIsPublishedWhenTheSessionEndsBeforeTheDelay() throws Exception {
    try (Client watcher = Client.connect("v5-willexpiry-watch", true, 0)) {
      watcher.subscribe("v5/will/expiry", 1);
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setSessionExpiryInterval(1L);
      o.setWill("v5/will/expiry", message("session over", 1));
      MqttProperties wp = new MqttProperties();
      wp.setWillDelayInterval(30L);
      o.setWillMessageProperties(wp);
      Client dying = Client.connect("v5-willexpiry", o);
      dying.mqtt.disconnectForcibly(0, 0, false);
      MqttMessage will = watcher.inbox.poll(10, TimeUnit.SECONDS);
      assertThat(will).isNotNull();
      assertThat(text(will)).isEqualTo("session over");
      dying.mqtt.close(true);
    }
  }
}
