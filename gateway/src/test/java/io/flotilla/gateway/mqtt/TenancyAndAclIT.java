package io.flotilla.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tenants never see each other; devices stay inside their namespace; refusals carry the right codes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TenancyAndAclIT {

  static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  static Mqtt5BlockingClient v5(String id, String user) {
    Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port())
        .buildBlocking();
    c.connectWith().simpleAuth().username(user).password(TestBroker.PASSWORD.getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth().send();
    return c;
  }

  static Mqtt3BlockingClient v3(String id, String user) {
    Mqtt3BlockingClient c = Mqtt3Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port())
        .buildBlocking();
    c.connectWith().simpleAuth().username(user).password(TestBroker.PASSWORD.getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth().send();
    return c;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Same client id, same topic in two tenants: two sessions, no cross-talk, retained messages apart. */
  @Test
  void tenantsAreIsolated() throws Exception {
    Mqtt5BlockingClient acme = v5("same-id", "acme/app/a");
    Mqtt5BlockingClient globex = v5("same-id", "globex/app/g");
    try (Mqtt5BlockingClient.Mqtt5Publishes acmeIn = acme.publishes(MqttGlobalPublishFilter.ALL);
        Mqtt5BlockingClient.Mqtt5Publishes globexIn = globex.publishes(MqttGlobalPublishFilter.ALL)) {
      acme.subscribeWith().topicFilter("#").send();
      globex.subscribeWith().topicFilter("#").send();
      acme.publishWith().topic("plant/line1").payload(bytes("acme secret")).retain(true).qos(MqttQos.AT_LEAST_ONCE)
          .send();
      assertThat(new String(acmeIn.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(),
          StandardCharsets.UTF_8)).isEqualTo("acme secret");
      assertThat(globexIn.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
      assertThat(acme.getState().isConnected()).as("no take-over across tenants").isTrue();
      assertThat(globex.getState().isConnected()).isTrue();
    }
    Mqtt5BlockingClient globexLate = v5("globex-late", "globex/app/g2");
    try (Mqtt5BlockingClient.Mqtt5Publishes in = globexLate.publishes(MqttGlobalPublishFilter.ALL)) {
      globexLate.subscribeWith().topicFilter("plant/#").send();
      assertThat(in.receive(500, TimeUnit.MILLISECONDS)).as("retained stays in its tenant").isEmpty();
    }
    assertThat(broker.broker.sessions()).extracting(SessionInfo::tenant, SessionInfo::clientId)
        .contains(org.assertj.core.groups.Tuple.tuple("acme", "same-id"),
            org.assertj.core.groups.Tuple.tuple("globex", "same-id"));
    acme.disconnect();
    globex.disconnect();
    globexLate.disconnect();
  }

  /** An MQTT 5 device may use its own namespace only; other filters get 0x87, other topics PUBACK 0x87. */
  @Test
  void deviceOutsideItsNamespaceIsRefusedOnV5() throws Exception {
    Mqtt5BlockingClient device = v5("d1", "acme/device/d1");
    Mqtt5SubAck own = device.subscribeWith().topicFilter("devices/d1/commands/#").send();
    assertThat(own.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_2);
    for (String filter : new String[] {"devices/+/commands", "#", "devices/d2/#", "other/topic"}) {
      Mqtt5SubAckException refused = org.assertj.core.api.Assertions.catchThrowableOfType(Mqtt5SubAckException.class,
          () -> device.subscribeWith().topicFilter(filter).send());
      assertThat(refused.getMqttMessage().getReasonCodes()).as(filter)
          .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
    }
    Mqtt5BlockingClient app = v5("acme-app", "acme/app/console");
    try (Mqtt5BlockingClient.Mqtt5Publishes in = app.publishes(MqttGlobalPublishFilter.ALL)) {
      app.subscribeWith().topicFilter("devices/#").send();
      Mqtt5PubAckException refused = org.assertj.core.api.Assertions.catchThrowableOfType(Mqtt5PubAckException.class,
          () -> device.publishWith().topic("devices/d2/telemetry").payload(bytes("spoof")).qos(MqttQos.AT_LEAST_ONCE)
              .send());
      assertThat(refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
      device.publishWith().topic("devices/d1/telemetry").payload(bytes("ok")).qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(in.receive(5, TimeUnit.SECONDS).orElseThrow().getTopic().toString()).isEqualTo("devices/d1/telemetry");
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
    assertThat(broker.meters.find("flotilla.mqtt.refused").tag("operation", "publish").counter().count()).isPositive();
    device.disconnect();
    app.disconnect();
  }

  /** An MQTT 3.1.1 device gets SUBACK 0x80 for foreign filters; its foreign publishes are dropped silently. */
  @Test
  void deviceOutsideItsNamespaceIsRefusedOnV3() throws Exception {
    Mqtt3BlockingClient device = v3("d3", "acme/device/d3");
    assertThat(device.subscribeWith().topicFilter("devices/d3/#").send().getReturnCodes())
        .containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_2);
    Mqtt3SubAckException refused = org.assertj.core.api.Assertions.catchThrowableOfType(Mqtt3SubAckException.class,
        () -> device.subscribeWith().topicFilter("devices/+/x").send());
    assertThat(refused.getMqttMessage().getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.FAILURE);
    Mqtt5BlockingClient app = v5("acme-app-3", "acme/app/console3");
    try (Mqtt5BlockingClient.Mqtt5Publishes in = app.publishes(MqttGlobalPublishFilter.ALL)) {
      app.subscribeWith().topicFilter("devices/#").send();
      device.publishWith().topic("devices/d9/telemetry").payload(bytes("spoof")).qos(MqttQos.AT_LEAST_ONCE).send();
      device.publishWith().topic("devices/d3/telemetry").payload(bytes("ok")).qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(in.receive(5, TimeUnit.SECONDS).orElseThrow().getTopic().toString()).isEqualTo("devices/d3/telemetry");
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
    assertThat(device.getState().isConnected()).isTrue();
    device.disconnect();
    app.disconnect();
  }

  /** Anonymous clients may use ordinary topics but nothing under devices/. */
  @Test
  void anonymousClientsStayOutOfDeviceTopics() {
    Mqtt5BlockingClient anon = Mqtt5Client.builder().identifier("anon").serverHost("127.0.0.1")
        .serverPort(broker.port()).buildBlocking();
    anon.connect();
    assertThat(anon.subscribeWith().topicFilter("lobby/#").send().getReasonCodes())
        .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_2);
    Mqtt5SubAckException refused = org.assertj.core.api.Assertions.catchThrowableOfType(Mqtt5SubAckException.class,
        () -> anon.subscribeWith().topicFilter("devices/x/#").send());
    assertThat(refused.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
    anon.disconnect();
  }
}
