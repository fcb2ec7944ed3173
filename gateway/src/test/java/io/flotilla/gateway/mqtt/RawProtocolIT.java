package io.flotilla.gateway.mqtt;

import static io.flotilla.gateway.mqtt.RawClient.bytes;
import static io.flotilla.gateway.mqtt.RawClient.connect311;
import static io.flotilla.gateway.mqtt.RawClient.connect5;
import static io.flotilla.gateway.mqtt.RawClient.packet;
import static io.flotilla.gateway.mqtt.RawClient.props;
import static io.flotilla.gateway.mqtt.RawClient.str;
import static io.flotilla.gateway.mqtt.RawClient.u16;
import static io.flotilla.gateway.mqtt.RawClient.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.gateway.mqtt.RawClient.Packet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Byte-level protocol checks for what real clients do not send: each bad connection is closed (with
 * the reason the specification gives, where it gives one) while a bystander connection keeps working.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RawProtocolIT {

  static TestBroker broker;
  RawClient bystander;

  @BeforeAll
  static void start() {
    broker = TestBroker.start(c -> c.withMaxPacketSize(1024).withConnectTimeout(Duration.ofMillis(500))
        .withReceiveMaximum(2).withTopicAliasMaximum(4));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @BeforeEach
  void connectBystander() throws Exception {
    bystander = RawClient.connected311(broker.port(), "bystander");
  }

  @AfterEach
  void bystanderStillWorks() throws Exception {
    assertThat(bystander.pings()).as("the other connection is unaffected").isTrue();
    bystander.close();
  }

  static byte[] subscribe5(int packetId, String filter, int options) {
    return packet(0x82,
        u16(packetId),   // packet identifier
        props(),         // no properties
        str(filter),     // topic filter
        bytes(options)); // subscription options
  }

  /** MQTT-3.1.0-1: a connection whose first packet is not CONNECT is closed without an answer. */
  @Test
  void firstPacketMustBeConnect() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.send(bytes(0xC0, 0x00)); // PINGREQ before CONNECT
      assertThat(c.closedByBroker()).isTrue();
    }
  }

  /** MQTT-3.1.0-2: a second CONNECT is a protocol violation; MQTT 5 gets DISCONNECT 0x82 first. */
  @Test
  void secondConnectIsAProtocolViolation() throws Exception {
    try (RawClient c = RawClient.connected311(broker.port(), "twice-311")) {
      c.send(connect311("twice-311"));
      assertThat(c.closedByBroker()).isTrue();
    }
    try (RawClient c = RawClient.connected5(broker.port(), "twice-5")) {
      c.send(connect5("twice-5", props()));
      Packet p = c.read();
      assertThat(p.type()).isEqualTo(RawClient.DISCONNECT);
      assertThat(p.byteAt(0)).isEqualTo(0x82);
      assertThat(c.closedByBroker()).isTrue();
    }
  }

  /** A remaining length with a fifth continuation byte is malformed: DISCONNECT 0x81 on MQTT 5. */
  @Test
  void malformedRemainingLengthClosesTheConnection() throws Exception {
    try (RawClient c = RawClient.connected5(broker.port(), "bad-length")) {
      c.send(bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)); // PUBLISH whose length never ends
      Packet p = c.read();
      assertThat(p.type()).isEqualTo(RawClient.DISCONNECT);
      assertThat(p.byteAt(0)).isEqualTo(0x81);
      assertThat(c.closedByBroker()).isTrue();
    }
  }

  /** A packet larger than the maximum packet size: DISCONNECT 0x95 on MQTT 5, plain close on 3.1.1. */
  @Test
  void packetOverTheMaximumSizeClosesTheConnection() throws Exception {
    byte[] big = packet(0x30,
        str("big/topic"),       // topic name
        props(),                // no properties
        new byte[2000]);        // payload beyond the 1024 byte limit
    try (RawClient c = RawClient.connected5(broker.port(), "too-big-5")) {
      c.send(big);
      Packet p = c.read();
      assertThat(p.type()).isEqualTo(RawClient.DISCONNECT);
      assertThat(p.byteAt(0)).isEqualTo(0x95);
      assertThat(c.closedByBroker()).isTrue();
    }
    try (RawClient c = RawClient.connected311(broker.port(), "too-big-311")) {
      c.send(packet(0x30, str("big/topic"), new byte[2000]));
      assertThat(c.closedByBroker()).isTrue();
    }
  }

  /** MQTT-3.1.2-1: an unknown protocol name is closed without CONNACK. */
  @Test
  void unknownProtocolNameIsClosedSilently() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.send(packet(0x10,
          str("MQTX"),      // wrong protocol name
          bytes(4),         // protocol level
          bytes(0x02),      // clean session
          u16(60),          // keep alive
          str("wrong-name")));
      assertThat(c.closedByBroker()).isTrue();
    }
  }

  /** MQTT-3.1.2-2: an unsupported protocol level gets CONNACK 0x01, then the connection closes. */
  @Test
  void unsupportedProtocolLevelIsRefused() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.send(packet(0x10,
          str("MQTT"),      // protocol name
          bytes(7),         // protocol level nobody defined
          bytes(0x02),      // clean session
          u16(60),          // keep alive
          str("bad-level")));
      Packet ack = c.read();
      assertThat(ack.type()).isEqualTo(RawClient.CONNACK);
      assertThat(ack.byteAt(1)).isEqualTo(0x01);
      assertThat(c.closedByBroker()).isTrue();
    }
  }

  /** MQTT-3.1.2-3: the reserved CONNECT flag must be 0. */
  @Test
  void reservedConnectFlagClosesTheConnection() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.send(packet(0x10,
          str("MQTT"),      // protocol name
          bytes(4),         // protocol level
          bytes(0x03),      // clean session + the reserved bit 0
          u16(60),          // keep alive
          str("reserved")));
      assertThat(c.closedByBroker()).isTrue();
    }
  }

  /** MQTT-3.8.1-1: SUBSCRIBE's fixed header flags must be 0010; other flags are malformed. */
  @Test
  void reservedFixedHeaderBitsCloseTheConnection() throws Exception {
    try (RawClient c = RawClient.connected5(broker.port(), "bad-flags")) {
      c.send(packet(0x80,          // SUBSCRIBE with flags 0000 instead of 0010
          u16(1),                  // packet identifier
          props(),                 // no properties
          str("a/b"),              // topic filter
          bytes(0x01)));           // QoS 1
      Packet p = c.read();
      assertThat(p.type()).isEqualTo(RawClient.DISCONNECT);
      assertThat(p.byteAt(0)).isEqualTo(0x81);
      assertThat(c.closedByBroker()).isTrue();
    }
  }

  /** An empty client id without clean session is refused with 3.1.1 return code 2 (MQTT-3.1.3-8). */
  @Test
  void emptyClientIdNeedsCleanSessionOn311() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.send(packet(0x10,
          str("MQTT"),      // protocol name
          bytes(4),         // protocol level 4
          bytes(0x00),      // no clean session
          u16(60),          // keep alive
          str("")));        // empty client id
      Packet ack = c.read();
      assertThat(ack.byteAt(1)).isEqualTo(0x02);
      assertThat(c.closedByBroker()).isTrue();
    }
  }

  /** A socket that never sends CONNECT is closed after the connect timeout. */
  @Test
  void silentSocketIsClosedAfterTheConnectTimeout() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      long start = System.nanoTime();
      assertThat(c.closedByBroker()).isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(300L, 3000L);
    }
  }

  /** Nothing for 1.5 times the keep-alive closes the connection; MQTT 5 is told 0x8D. */
  @Test
  void keepAliveTimeoutClosesTheConnection() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.send(packet(0x10,
          str("MQTT"),      // protocol name
          bytes(5),         // protocol level 5
          bytes(0x02),      // clean start
          u16(1),           // keep alive: 1 second
          props(),          // no properties
          str("sleepy")));
      assertThat(c.read().byteAt(1)).isZero();
      Packet p = c.read();
      assertThat(p.type()).isEqualTo(RawClient.DISCONNECT);
      assertThat(p.byteAt(0)).isEqualTo(0x8D);
      assertThat(c.closedByBroker()).isTrue();
    }
  }

  /** CONNACK announces our receive maximum, maximum packet size and topic alias maximum. */
  @Test
  void connAckCarriesTheBrokerLimits() throws Exception {
    try (RawClient c = new RawClient(broker.port())) {
      c.send(connect5("limits", props()));
      Packet ack = c.read();
      assertThat(ack.body())
          .containsSequence(RawClient.concat(bytes(0x21), u16(2)))       // receive maximum 2
          .containsSequence(RawClient.concat(bytes(0x27), u32(1024)))    // maximum packet size 1024
          .containsSequence(RawClient.concat(bytes(0x22), u16(4)));      // topic alias maximum 4
    }
  }

  /** A topic alias set with a topic is used for later PUBLISHes with an empty topic. */
  @Test
  void topicAliasesAreResolved() throws Exception {
    try (RawClient sub = RawClient.connected5(broker.port(), "alias-sub");
        RawClient pub = RawClient.connected5(broker.port(), "alias-pub")) {
      sub.send(subscribe5(1, "alias/#", 0));
      assertThat(sub.read().type()).isEqualTo(RawClient.SUBACK);
      pub.send(packet(0x30,
          str("alias/one"),                 // topic name
          props(bytes(0x23), u16(3)),       // topic alias 3
          bytes('a')));                     // payload
      pub.send(packet(0x30,
          str(""),                          // empty topic name
          props(bytes(0x23), u16(3)),       // topic alias 3 stands for alias/one
          bytes('b')));                     // payload
      for (char payload : new char[] {'a', 'b'}) {
        Packet p = sub.read();
        assertThat(p.type()).isEqualTo(RawClient.PUBLISH);
        assertThat(new String(p.body(), 2, 9)).isEqualTo("alias/one");
        assertThat(p.body()[p.body().length - 1]).isEqualTo((byte) payload);
      }
    }
  }

  /** MQTT-3.3.2-9/10: alias 0 or above our maximum is DISCONNECT 0x94; an unknown alias 0x82. */
  @Test
  void invalidTopicAliasesCloseTheConnection() throws Exception {
    int[][] cases = {{0, 0x94}, {5, 0x94}, {2, 0x82}};
    for (int[] test : cases) {
      try (RawClient c = RawClient.connected5(broker.port(), "bad-alias")) {
        c.send(packet(0x30,
            str(test[1] == 0x82 ? "" : "a/b"),   // topic (empty: must be known by alias)
            props(bytes(0x23), u16(test[0])),     // topic alias
            bytes('x')));                         // payload
        Packet p = c.read();
        assertThat(p.type()).isEqualTo(RawClient.DISCONNECT);
        assertThat(p.byteAt(0)).as("alias " + test[0]).isEqualTo(test[1]);
        assertThat(c.closedByBroker()).isTrue();
      }
    }
  }

  /** A client with more unreleased QoS 2 messages than our receive maximum gets DISCONNECT 0x93. */
  @Test
  void exceedingOurReceiveMaximumClosesTheConnection() throws Exception {
    try (RawClient c = RawClient.connected5(broker.port(), "greedy")) {
      for (int id = 1; id <= 3; id++) {
        c.send(packet(0x34,            // PUBLISH QoS 2
            str("greedy/t"),           // topic
            u16(id),                   // packet identifier
            props(),                   // no properties
            bytes('x')));              // payload
      }
      assertThat(c.read().type()).isEqualTo(RawClient.PUBREC);
      assertThat(c.read().type()).isEqualTo(RawClient.PUBREC);
      Packet p = c.read();
      assertThat(p.type()).isEqualTo(RawClient.DISCONNECT);
      assertThat(p.byteAt(0)).isEqualTo(0x93);
    }
  }

  /** A QoS 2 PUBLISH sent again before PUBREL is acknowledged but not delivered twice. */
  @Test
  void duplicateQos2IsDeliveredOnce() throws Exception {
    try (RawClient sub = RawClient.connected311(broker.port(), "q2-sub");
        RawClient pub = RawClient.connected311(broker.port(), "q2-pub")) {
      sub.send(packet(0x82, u16(1), str("q2/t"), bytes(0)));
      assertThat(sub.read().type()).isEqualTo(RawClient.SUBACK);
      byte[] publish = packet(0x34, str("q2/t"), u16(7), bytes('x'));
      pub.send(publish);
      assertThat(pub.read().type()).isEqualTo(RawClient.PUBREC);
      pub.send(packet(0x3C, str("q2/t"), u16(7), bytes('x'))); // same id, DUP set
      assertThat(pub.read().type()).isEqualTo(RawClient.PUBREC);
      pub.send(packet(0x62, u16(7)));                            // PUBREL
      assertThat(pub.read().type()).isEqualTo(RawClient.PUBCOMP);
      assertThat(sub.read().type()).isEqualTo(RawClient.PUBLISH);
      sub.timeout(300);
      assertThat(sub.closedByBroker()).as("no second copy, connection open").isFalse();
    }
  }

  /** A message larger than the subscriber's maximum packet size is dropped for it (MQTT-3.1.2-24). */
  @Test
  void messagesOverTheClientMaximumPacketSizeAreDropped() throws Exception {
    try (RawClient sub = new RawClient(broker.port());
        RawClient pub = RawClient.connected5(broker.port(), "small-pub")) {
      sub.send(connect5("small-sub", props(bytes(0x27), u32(64)))); // maximum packet size 64
      assertThat(sub.read().byteAt(1)).isZero();
      sub.send(subscribe5(1, "small/t", 0));
      assertThat(sub.read().type()).isEqualTo(RawClient.SUBACK);
      pub.send(packet(0x30, str("small/t"), props(), new byte[100])); // too big for the subscriber
      pub.send(packet(0x30, str("small/t"), props(), bytes('k')));    // fits
      Packet p = sub.read();
      assertThat(p.type()).isEqualTo(RawClient.PUBLISH);
      assertThat(p.body()[p.body().length - 1]).isEqualTo((byte) 'k');
    }
    assertThat(broker.meters.find("flotilla.mqtt.messages.dropped").tag("reason", "too_large").counter().count())
        .isPositive();
  }

  /** A shared subscription with no-local is a protocol error (MQTT-3.8.3-4). */
  @Test
  void noLocalOnASharedSubscriptionIsAProtocolError() throws Exception {
    try (RawClient c = RawClient.connected5(broker.port(), "share-nolocal")) {
      c.send(subscribe5(1, "$share/g/a", 0x04));
      Packet p = c.read();
      assertThat(p.type()).isEqualTo(RawClient.DISCONNECT);
      assertThat(p.byteAt(0)).isEqualTo(0x82);
    }
  }

  /** Invalid filters are refused in SUBACK, the valid ones in the same packet granted. */
  @Test
  void invalidFiltersAreRefusedInSubAck() throws Exception {
    try (RawClient c = RawClient.connected5(broker.port(), "bad-filters");
        RawClient old = RawClient.connected311(broker.port(), "bad-filters-311")) {
      c.send(packet(0x82,
          u16(9),                           // packet identifier
          props(),                          // no properties
          str("a/#/b"), bytes(1),           // '#' not last: invalid
          str("a+/b"), bytes(1),            // '+' not alone in its level: invalid
          str("$share/g"), bytes(1),        // share without filter: invalid
          str("ok/+"), bytes(1)));          // valid
      Packet ack = c.read();
      assertThat(ack.type()).isEqualTo(RawClient.SUBACK);
      assertThat(ack.body()).endsWith(0x8F, 0x8F, 0x8F, 0x01);
      old.send(packet(0x82, u16(3), str("x/#/y"), bytes(0), str("x/y"), bytes(2)));
      Packet ack3 = old.read();
      assertThat(ack3.body()).containsExactly(0, 3, 0x80, 2);
    }
  }

  /** Setting a session expiry on DISCONNECT after connecting with 0 is a protocol error (MQTT-3.14.2-2). */
  @Test
  void sessionExpiryCannotBeRaisedFromZeroOnDisconnect() throws Exception {
    try (RawClient c = RawClient.connected5(broker.port(), "expiry-raise")) {
      c.send(packet(0xE0,
          bytes(0x00),                          // normal disconnection
          props(bytes(0x11), u32(60))));        // session expiry 60 s
      Packet p = c.read();
      assertThat(p.type()).isEqualTo(RawClient.DISCONNECT);
      assertThat(p.byteAt(0)).isEqualTo(0x82);
    }
  }

  static byte[] connectPersistent311(String clientId) {
    return packet(0x10,
        str("MQTT"),     // protocol name
        bytes(4),        // protocol level 4
        bytes(0x00),     // flags: keep the session
        u16(60),         // keep alive
        str(clientId));  // client identifier
  }

  /**
   * MQTT-4.4.0-1: on reconnect, an unacknowledged QoS 1 PUBLISH is sent again with its packet id and DUP
   * set, and a QoS 2 message that got PUBREC but no PUBCOMP gets its PUBREL again.
   */
  @Test
  void unacknowledgedMessagesAreResentOnReconnect() throws Exception {
    int qos1Id;
    int qos2Id;
    try (RawClient sub = new RawClient(broker.port());
        RawClient pub = RawClient.connected311(broker.port(), "resend-pub")) {
      sub.send(connectPersistent311("resend-sub"));
      assertThat(sub.read().type()).isEqualTo(RawClient.CONNACK);
      sub.send(packet(0x82, u16(1), str("resend/1"), bytes(1), str("resend/2"), bytes(2)));
      assertThat(sub.read().type()).isEqualTo(RawClient.SUBACK);
      pub.send(packet(0x32, str("resend/1"), u16(1), bytes('a')));
      pub.send(packet(0x34, str("resend/2"), u16(2), bytes('b')));
      Packet first = sub.read();
      Packet second = sub.read();
      Packet q1 = first.flags() == 0x02 ? first : second;
      Packet q2 = first.flags() == 0x02 ? second : first;
      assertThat(q1.flags()).isEqualTo(0x02);                  // QoS 1, no DUP
      assertThat(q2.flags()).isEqualTo(0x04);                  // QoS 2, no DUP
      qos1Id = ((q1.byteAt(10) << 8) | q1.byteAt(11));         // after the 2+8 byte topic
      qos2Id = ((q2.byteAt(10) << 8) | q2.byteAt(11));
      sub.send(packet(0x50, u16(qos2Id)));                     // PUBREC for the QoS 2 message only
      Packet pubrel = sub.read();
      assertThat(pubrel.type()).isEqualTo(6);
      assertThat(pubrel.flags()).isEqualTo(0x02);
    } // the subscriber goes away without PUBACK or PUBCOMP
    await().atMost(5, TimeUnit.SECONDS).until(() -> !broker.broker.session("default", "resend-sub").orElseThrow()
        .connected());
    try (RawClient back = new RawClient(broker.port())) {
      back.send(connectPersistent311("resend-sub"));
      Packet ack = back.read();
      assertThat(ack.byteAt(0)).as("session present").isEqualTo(1);
      Packet a = back.read();
      Packet b = back.read();
      Packet publish = a.type() == RawClient.PUBLISH ? a : b;
      Packet rel = a.type() == RawClient.PUBLISH ? b : a;
      assertThat(publish.flags()).isEqualTo(0x0A);              // DUP + QoS 1
      assertThat((publish.byteAt(10) << 8) | publish.byteAt(11)).isEqualTo(qos1Id);
      assertThat(rel.type()).isEqualTo(6);                      // PUBREL again
      assertThat((rel.byteAt(0) << 8) | rel.byteAt(1)).isEqualTo(qos2Id);
      back.send(packet(0x40, u16(qos1Id)));                     // PUBACK
      back.send(packet(0x70, u16(qos2Id)));                     // PUBCOMP
      back.timeout(300);
      assertThat(back.closedByBroker()).as("nothing more, still open").isFalse();
    }
    await().atMost(5, TimeUnit.SECONDS).until(() -> broker.broker.session("default", "resend-sub").orElseThrow()
        .inFlightMessages() == 0);
  }

  /** MQTT 5 DISCONNECT with reason 0x04 asks for the will to be published; 0x00 discards it. */
  @Test
  void disconnectWithWillPublishesTheWill() throws Exception {
    try (RawClient watcher = RawClient.connected311(broker.port(), "will-watcher")) {
      watcher.send(packet(0x82, u16(1), str("raw/will/+"), bytes(0)));
      assertThat(watcher.read().type()).isEqualTo(RawClient.SUBACK);
      for (int reason : new int[] {0x00, 0x04}) {
        try (RawClient c = new RawClient(broker.port())) {
          c.send(packet(0x10,
              str("MQTT"),                   // protocol name
              bytes(5),                      // protocol level 5
              bytes(0x06),                   // flags: will, clean start
              u16(60),                       // keep alive
              props(),                       // CONNECT properties
              str("will-" + reason),         // client id
              props(),                       // will properties
              str("raw/will/" + reason),     // will topic
              str("gone")));                 // will payload
          assertThat(c.read().byteAt(1)).isZero();
          c.send(packet(0xE0, bytes(reason), props()));
          assertThat(c.closedByBroker()).isTrue();
        }
      }
      Packet will = watcher.read();
      assertThat(will.type()).isEqualTo(RawClient.PUBLISH);
      assertThat(new String(will.body(), 2, 10)).isEqualTo("raw/will/4");
      watcher.timeout(300);
      assertThat(watcher.closedByBroker()).as("no will for the normal disconnect").isFalse();
    }
  }
}
