package io.flotilla.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HiveMQ MQTT client, both versions: shared subscriptions, flow control, subscription options. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HiveMqClientIT {

  static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  static Mqtt5BlockingClient v5(String id) {
    Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port())
        .buildBlocking();
    c.connectWith().cleanStart(true).send();
    return c;
  }

  static Mqtt3BlockingClient v3(String id) {
    Mqtt3BlockingClient c = Mqtt3Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port())
        .buildBlocking();
    c.connectWith().cleanSession(true).send();
    return c;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(Mqtt5Publish p) {
    return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
  }

  /** Both protocol versions talk to each other through the broker. */
  @Test
  void v3AndV5ClientsExchangeMessages() throws Exception {
    Mqtt5BlockingClient five = v5("hive-five");
    Mqtt3BlockingClient three = v3("hive-three");
    try (Mqtt5BlockingClient.Mqtt5Publishes in5 = five.publishes(MqttGlobalPublishFilter.ALL);
        Mqtt3BlockingClient.Mqtt3Publishes in3 = three.publishes(MqttGlobalPublishFilter.ALL)) {
      five.subscribeWith().topicFilter("mix/to5").qos(MqttQos.EXACTLY_ONCE).send();
      three.subscribeWith().topicFilter("mix/to3").qos(MqttQos.EXACTLY_ONCE).send();
      three.publishWith().topic("mix/to5").payload(bytes("from 3")).qos(MqttQos.EXACTLY_ONCE).send();
      five.publishWith().topic("mix/to3").payload(bytes("from 5")).qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5Publish got5 = in5.receive(5, TimeUnit.SECONDS).orElseThrow();
      Mqtt3Publish got3 = in3.receive(5, TimeUnit.SECONDS).orElseThrow();
      assertThat(text(got5)).isEqualTo("from 3");
      assertThat(got5.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
      assertThat(new String(got3.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("from 5");
      assertThat(got3.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
    }
    five.disconnect();
    three.disconnect();
  }

  /** A shared subscription's messages are split round-robin among its members, 3.1.1 clients included. */
  @Test
  void sharedSubscriptionSplitsTheLoad() throws Exception {
    List<List<String>> received = new ArrayList<>();
    List<Mqtt5AsyncClient> members = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      List<String> mine = new CopyOnWriteArrayList<>();
      received.add(mine);
      Mqtt5AsyncClient m = v5("hive-share-" + i).toAsync();
      m.subscribeWith().topicFilter("$share/workers/jobs/#").qos(MqttQos.AT_LEAST_ONCE)
          .callback(p -> mine.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send().get();
      members.add(m);
    }
    List<String> fromV3 = new CopyOnWriteArrayList<>();
    received.add(fromV3);
    Mqtt3BlockingClient three = v3("hive-share-v3");
    three.toAsync().subscribeWith().topicFilter("$share/workers/jobs/#").qos(MqttQos.AT_LEAST_ONCE)
        .callback(p -> fromV3.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send().get();
    List<String> everything = new CopyOnWriteArrayList<>();
    Mqtt5AsyncClient plain = v5("hive-share-plain").toAsync();
    plain.subscribeWith().topicFilter("jobs/#").qos(MqttQos.AT_LEAST_ONCE)
        .callback(p -> everything.add(text(p))).send().get();
    Mqtt5BlockingClient pub = v5("hive-share-pub");
    for (int i = 0; i < 30; i++) {
      pub.publishWith().topic("jobs/" + i).payload(bytes("job " + i)).qos(MqttQos.AT_LEAST_ONCE).send();
    }
    await().atMost(10, TimeUnit.SECONDS).until(() -> received.stream().mapToInt(List::size).sum() == 30);
    assertThat(received).allSatisfy(r -> assertThat(r).hasSize(10));
    await().atMost(5, TimeUnit.SECONDS).until(() -> everything.size() == 30);
    pub.disconnect();
    three.disconnect();
    plain.disconnect().get();
    for (Mqtt5AsyncClient m : members) {
      m.disconnect().get();
    }
  }

  /** The broker never has more unacknowledged QoS 1 messages at a client than its receive maximum. */
  @Test
  void clientReceiveMaximumIsRespected() throws Exception {
    Mqtt5AsyncClient sub = Mqtt5Client.builder().identifier("hive-recvmax").serverHost("127.0.0.1")
        .serverPort(broker.port()).buildAsync();
    sub.connectWith().cleanStart(true).restrictions().receiveMaximum(2).applyRestrictions().send().get();
    List<Mqtt5Publish> unacked = new CopyOnWriteArrayList<>();
    sub.publishes(MqttGlobalPublishFilter.ALL, unacked::add, true);
    sub.subscribeWith().topicFilter("flow/t").qos(MqttQos.AT_LEAST_ONCE).send().get();
    Mqtt5BlockingClient pub = v5("hive-recvmax-pub");
    for (int i = 0; i < 5; i++) {
      pub.publishWith().topic("flow/t").payload(bytes("m" + i)).qos(MqttQos.AT_LEAST_ONCE).send();
    }
    await().atMost(5, TimeUnit.SECONDS).until(() -> unacked.size() == 2);
    Thread.sleep(300);
    assertThat(unacked).hasSize(2);
    assertThat(broker.broker.session("default", "hive-recvmax").orElseThrow().queuedMessages()).isEqualTo(3);
    unacked.get(0).acknowledge();
    await().atMost(5, TimeUnit.SECONDS).until(() -> unacked.size() == 3);
    for (int i = 1; i < 5; i++) {
      await().atMost(5, TimeUnit.SECONDS).until(() -> unacked.size() > 2);
      int index = i;
      await().atMost(5, TimeUnit.SECONDS).until(() -> unacked.size() > index);
      unacked.get(index).acknowledge();
    }
    assertThat(unacked).extracting(HiveMqClientIT::text).containsExactly("m0", "m1", "m2", "m3", "m4");
    assertThat(sub.getState().isConnected()).isTrue();
    sub.disconnect().get();
    pub.disconnect();
  }

  /** No-local keeps a client's own messages from coming back to it. */
  @Test
  void noLocalSubscriptionSkipsOwnMessages() throws Exception {
    Mqtt5BlockingClient self = v5("hive-nolocal");
    Mqtt5BlockingClient other = v5("hive-nolocal-other");
    try (Mqtt5BlockingClient.Mqtt5Publishes in = self.publishes(MqttGlobalPublishFilter.ALL)) {
      self.subscribeWith().topicFilter("nolocal/t").noLocal(true).send();
      self.publishWith().topic("nolocal/t").payload(bytes("mine")).send();
      other.publishWith().topic("nolocal/t").payload(bytes("theirs")).send();
      assertThat(text(in.receive(5, TimeUnit.SECONDS).orElseThrow())).isEqualTo("theirs");
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
    self.disconnect();
    other.disconnect();
  }

  /** Retain handling 1 sends retained messages only for a new subscription, 2 never; retain-as-published keeps the flag. */
  @Test
  void retainHandlingAndRetainAsPublished() throws Exception {
    Mqtt5BlockingClient pub = v5("hive-rh-pub");
    pub.publishWith().topic("rh/t").payload(bytes("kept")).retain(true).qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5BlockingClient sub = v5("hive-rh-sub");
    try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("rh/t").retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST)
          .send();
      Mqtt5Publish first = in.receive(5, TimeUnit.SECONDS).orElseThrow();
      assertThat(first.isRetain()).isTrue();
      sub.subscribeWith().topicFilter("rh/t").retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST)
          .send();
      sub.subscribeWith().topicFilter("rh/+").retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
      sub.unsubscribeWith().topicFilter("rh/+").send();
      sub.subscribeWith().topicFilter("rh/t").retainAsPublished(true).retainHandling(Mqtt5RetainHandling.DO_NOT_SEND)
          .send();
      pub.publishWith().topic("rh/t").payload(bytes("live")).retain(true).send();
      Mqtt5Publish live = in.receive(5, TimeUnit.SECONDS).orElseThrow();
      assertThat(text(live)).isEqualTo("live");
      assertThat(live.isRetain()).isTrue();
    }
    pub.disconnect();
    sub.disconnect();
  }

  /** A topic alias set by the HiveMQ client is resolved for every later message. */
  @Test
  void topicAliasesFromTheClientAreResolved() throws Exception {
    Mqtt5BlockingClient sub = v5("hive-alias-sub");
    Mqtt5BlockingClient pub = Mqtt5Client.builder().identifier("hive-alias-pub").serverHost("127.0.0.1")
        .serverPort(broker.port()).buildBlocking();
    pub.connectWith().restrictions().sendTopicAliasMaximum(4).applyRestrictions().send();
    try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("alias/long/topic/name").send();
      for (int i = 0; i < 5; i++) {
        pub.publishWith().topic("alias/long/topic/name").payload(bytes("n" + i)).qos(MqttQos.AT_LEAST_ONCE).send();
      }
      for (int i = 0; i < 5; i++) {
        Optional<Mqtt5Publish> p = in.receive(5, TimeUnit.SECONDS);
        assertThat(p).isPresent();
        assertThat(p.get().getTopic().toString()).isEqualTo("alias/long/topic/name");
        assertThat(text(p.get())).isEqualTo("n" + i);
      }
    }
    pub.disconnect();
    sub.disconnect();
  }
}
