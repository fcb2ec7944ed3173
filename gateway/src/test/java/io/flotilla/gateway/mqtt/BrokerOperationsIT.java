package io.flotilla.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.ProtocolVersion;
import io.flotilla.gateway.mqtt.store.InMemoryBrokerStateStore;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What operators and the platform use: the session list, disconnecting, the listener hook, metrics, limits. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrokerOperationsIT {

  static final List<String> EVENTS = new CopyOnWriteArrayList<>();
  static TestBroker broker;

  @BeforeAll
  static void start() {
    ConnectionListener listener = new ConnectionListener() {
      @Override
      public void onConnected(ClientIdentity identity, String clientId, SocketAddress remoteAddress,
          ProtocolVersion version) {
        EVENTS.add("connected " + identity.tenant() + "/" + clientId);
      }

      @Override
      public void onDisconnected(ClientIdentity identity, String clientId, DisconnectReason reason) {
        EVENTS.add("disconnected " + identity.tenant() + "/" + clientId + " " + reason);
      }
    };
    broker = TestBroker.start(c -> c.withMaxQueuedPerSession(3), new InMemoryBrokerStateStore(), listener);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  static Mqtt5BlockingClient v5(String id, long sessionExpiry) {
    Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port())
        .buildBlocking();
    c.connectWith().cleanStart(true).sessionExpiryInterval(sessionExpiry).send();
    return c;
  }

  /** Sessions are listed with their tenant, state, protocol and address; an operator can disconnect one. */
  @Test
  void operatorListsAndDisconnectsSessions() {
    Mqtt5BlockingClient c = v5("ops-listed", 60);
    c.subscribeWith().topicFilter("ops/#").send();
    SessionInfo info = broker.broker.session("default", "ops-listed").orElseThrow();
    assertThat(info.connected()).isTrue();
    assertThat(info.protocolVersion()).contains(ProtocolVersion.MQTT_5);
    assertThat(info.remoteAddress()).isPresent();
    assertThat(info.connectedSince()).isPresent();
    assertThat(info.subscriptions()).isEqualTo(1);
    AtomicReference<Throwable> cause = new AtomicReference<>();
    Mqtt5BlockingClient watched = Mqtt5Client.builder().identifier("ops-kicked").serverHost("127.0.0.1")
        .serverPort(broker.port()).addDisconnectedListener(ctx -> {
          if (ctx.getSource() == MqttDisconnectSource.SERVER) {
            cause.set(ctx.getCause());
          }
        }).buildBlocking();
    watched.connect();
    assertThat(broker.broker.disconnect("default", "ops-kicked", true)).isTrue();
    await().atMost(5, TimeUnit.SECONDS).until(() -> cause.get() != null);
    assertThat(((Mqtt5DisconnectException) cause.get()).getMqttMessage().getReasonCode())
        .isEqualTo(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION);
    assertThat(broker.broker.session("default", "ops-kicked")).isEmpty();
    assertThat(broker.broker.disconnect("default", "nobody", false)).isFalse();
    c.disconnect();
    // The server ends the session when it has read the DISCONNECT, a moment after the client sent it.
    await().atMost(5, TimeUnit.SECONDS)
        .until(() -> !broker.broker.session("default", "ops-listed").orElseThrow().connected());
    SessionInfo offline = broker.broker.session("default", "ops-listed").orElseThrow();
    assertThat(offline.connected()).isFalse();
    assertThat(offline.remoteAddress()).isEmpty();
  }

  /** The listener hears about connects and disconnects with the reason. */
  @Test
  void listenerIsToldAboutConnectionsAndWhyTheyEnded() throws Exception {
    Mqtt5BlockingClient c = v5("ops-listener", 0);
    c.disconnect();
    await().atMost(5, TimeUnit.SECONDS).until(() -> EVENTS.contains("disconnected default/ops-listener CLIENT_DISCONNECTED"));
    assertThat(EVENTS).contains("connected default/ops-listener");
    try (RawClient raw = RawClient.connected311(broker.port(), "ops-raw")) {
      raw.pings();
    }
    await().atMost(5, TimeUnit.SECONDS).until(() -> EVENTS.contains("disconnected default/ops-raw CONNECTION_LOST"));
  }

  /** Messages beyond the per-session queue bound are dropped and counted. */
  @Test
  void offlineQueueIsBounded() throws Exception {
    Mqtt5BlockingClient sub = v5("ops-bounded", 300);
    sub.subscribeWith().topicFilter("bounded/t").qos(MqttQos.AT_LEAST_ONCE).send();
    sub.disconnect();
    await().atMost(5, TimeUnit.SECONDS).until(() -> !broker.broker.session("default", "ops-bounded").orElseThrow()
        .connected());
    double droppedBefore = dropped("queue_full");
    Mqtt5BlockingClient pub = v5("ops-bounded-pub", 0);
    for (int i = 0; i < 5; i++) {
      pub.publishWith().topic("bounded/t").payload(("m" + i).getBytes(StandardCharsets.UTF_8))
          .qos(MqttQos.AT_LEAST_ONCE).send();
    }
    await().atMost(5, TimeUnit.SECONDS).until(() -> dropped("queue_full") - droppedBefore == 2);
    assertThat(broker.broker.session("default", "ops-bounded").orElseThrow().queuedMessages()).isEqualTo(3);
    Mqtt5BlockingClient back = Mqtt5Client.builder().identifier("ops-bounded").serverHost("127.0.0.1")
        .serverPort(broker.port()).buildBlocking();
    try (Mqtt5BlockingClient.Mqtt5Publishes in = back.publishes(MqttGlobalPublishFilter.ALL)) {
      back.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
      for (int i = 0; i < 3; i++) {
        assertThat(new String(in.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8))
            .isEqualTo("m" + i);
      }
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
    back.disconnect();
    pub.disconnect();
  }

  /** Connections, connects, messages and bytes are counted. */
  @Test
  void metricsCountTraffic() {
    double inBefore = broker.meters.find("flotilla.mqtt.messages.in").tag("qos", "1").counter().count();
    Mqtt5BlockingClient c = v5("ops-metrics", 0);
    c.subscribeWith().topicFilter("ops/metrics").qos(MqttQos.AT_LEAST_ONCE).send();
    c.publishWith().topic("ops/metrics").payload(new byte[10]).qos(MqttQos.AT_LEAST_ONCE).send();
    await().atMost(5, TimeUnit.SECONDS).until(() ->
        broker.meters.find("flotilla.mqtt.messages.out").tag("qos", "1").counter().count() >= 1);
    assertThat(broker.meters.find("flotilla.mqtt.messages.in").tag("qos", "1").counter().count()).isGreaterThan(inBefore);
    assertThat(broker.meters.find("flotilla.mqtt.connections").gauge().value()).isGreaterThanOrEqualTo(1);
    assertThat(broker.meters.find("flotilla.mqtt.connects").tag("result", "accepted").counter().count()).isPositive();
    assertThat(broker.meters.find("flotilla.mqtt.bytes.in").counter().count()).isPositive();
    assertThat(broker.meters.find("flotilla.mqtt.bytes.out").counter().count()).isPositive();
    assertThat(broker.meters.find("flotilla.mqtt.sessions").gauge().value()).isPositive();
    c.disconnect();
  }

  /** A taken port is a clear error that says what to change; close() may be called again. */
  @Test
  void takenPortIsAClearErrorAndCloseIsIdempotent() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      MqttBroker clash = MqttBroker.builder(BrokerConfig.defaults().withBindAddress("127.0.0.1")
          .withPort(taken.getLocalPort())).build();
      assertThatThrownBy(clash::start).hasMessageContaining("could not listen on 127.0.0.1:" + taken.getLocalPort())
          .hasMessageContaining("choose another port");
      clash.close();
    }
    MqttBroker b = MqttBroker.builder(BrokerConfig.defaults().withBindAddress("127.0.0.1").withPort(0)).build().start();
    b.close();
    b.close();
  }

  private static double dropped(String reason) {
    var counter = broker.meters.find("flotilla.mqtt.messages.dropped").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }
}
