package io.flotilla.gateway.mqtt;

import static io.flotilla.gateway.mqtt.RawClient.bytes;
import static io.flotilla.gateway.mqtt.RawClient.concat;
import static io.flotilla.gateway.mqtt.RawClient.packet;
import static io.flotilla.gateway.mqtt.RawClient.props;
import static io.flotilla.gateway.mqtt.RawClient.str;
import static io.flotilla.gateway.mqtt.RawClient.u16;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.gateway.mqtt.RawClient.Packet;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The protection limits: PUBLISH rate limits per connection (back-pressure, then disconnection for a
 * flood) and the connection limit per tenant, each hitting only the client that exceeds it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProtectionLimitsIT {

  static byte[] publish311(String topic, byte[] payload) {
    return packet(0x30, str(topic), payload);
  }

  static byte[] publish5(String topic, byte[] payload) {
    return packet(0x30, str(topic), props(), payload);
  }

  /** Counts the PUBLISH packets a subscriber gets, by the first letter of their topic. */
  static final class Watcher implements AutoCloseable {
    final RawClient client;
    final AtomicInteger flood = new AtomicInteger();
    final AtomicInteger calm = new AtomicInteger();
    final Thread reader;

    Watcher(int port) throws IOException {
      client = RawClient.connected311(port, "watcher");
      client.send(packet(0x82, u16(1), str("t/#"), bytes(0)));
      assertThat(client.read().type()).isEqualTo(RawClient.SUBACK);
      client.timeout(0);
      reader = Thread.ofPlatform().daemon().start(() -> {
        try {
          while (true) {
            Packet p = client.read();
            if (p.type() == RawClient.PUBLISH) {
              (p.byteAt(4) == 'f' ? flood : calm).incrementAndGet();
            }
          }
        } catch (IOException e) {
          // closed
        }
      });
    }

    @Override
    public void close() throws IOException {
      client.close();
    }
  }

  /**
   * A client publishing 1 KB messages as fast as TCP lets it is slowed to about its limit of 50 per
   * second, losing nothing it was allowed to send, while another client's QoS 1 messages are
   * acknowledged and delivered promptly.
   */
  @Test
  void floodingClientIsSlowedWhileOthersFlow() throws Exception {
    try (TestBroker broker = TestBroker.start(c -> c.withPublishRateLimit(50, 0));
        Watcher watcher = new Watcher(broker.port());
        RawClient flooder = RawClient.connected311(broker.port(), "flooder");
        RawClient calm = RawClient.connected311(broker.port(), "calm")) {
      AtomicInteger sent = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      byte[] message = publish311("t/flood", new byte[1000]);
      long start = System.nanoTime();
      Thread flooding = Thread.ofPlatform().daemon().start(() -> {
        try {
          while (!stop.get()) {
            flooder.send(message);
            sent.incrementAndGet();
          }
        } catch (IOException e) {
          // closed at the end
        }
      });
      long slowest = 0;
      for (int i = 1; i <= 20; i++) {
        Thread.sleep(100);
        long before = System.nanoTime();
        calm.send(packet(0x32, str("t/calm"), u16(i), new byte[] {(byte) i}));
        Packet ack = calm.read();
        slowest = Math.max(slowest, System.nanoTime() - before);
        assertThat(ack.type()).isEqualTo(RawClient.PUBACK);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      int delivered = watcher.flood.get();
      stop.set(true);
      flooding.join(5000);

      assertThat(TimeUnit.NANOSECONDS.toMillis(slowest)).as("slowest PUBACK of the calm client, ms").isLessThan(500);
      await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(watcher.calm.get())
          .as("calm messages delivered (flood: %d of %d sent)", watcher.flood.get(), sent.get()).isEqualTo(20));
      // One second's burst plus 50 per second, plus at most what one socket read held when the pause began.
      assertThat(delivered).as("flood messages delivered in %.1f s", seconds)
          .isBetween((int) (50 * seconds * 0.6), (int) (50 + 50 * seconds + 100));
      assertThat(sent.get()).as("the flooder really tried to send more").isGreaterThan(2 * delivered);
      assertThat(broker.meters.get("flotilla.mqtt.rate.limited").tag("action", "throttled").counter().count())
          .isGreaterThanOrEqualTo(1);
      assertThat(broker.meters.get("flotilla.mqtt.rate.limited").tag("action", "disconnected").counter().count())
          .isZero();
    }
  }

  /** Far past the limit in one go: MQTT 5 gets DISCONNECT 0x96, 3.1.1 is closed; others are untouched. */
  @Test
  void floodPastTheHardLimitIsDisconnected() throws Exception {
    try (TestBroker broker = TestBroker.start(c -> c.withPublishRateLimit(20, 0).withRateLimitDisconnectFactor(2));
        RawClient bystander = RawClient.connected5(broker.port(), "bystander")) {
      try (RawClient v5 = RawClient.connected5(broker.port(), "blaster-5")) {
        byte[][] burst = new byte[300][];
        java.util.Arrays.fill(burst, publish5("blast/x", bytes(1, 2, 3)));
        v5.send(concat(burst));
        Packet disconnect = v5.read();
        assertThat(disconnect.type()).isEqualTo(RawClient.DISCONNECT);
        assertThat(disconnect.byteAt(0)).isEqualTo(0x96);
        assertThat(v5.closedByBroker()).isTrue();
      }
      try (RawClient v3 = RawClient.connected311(broker.port(), "blaster-311")) {
        byte[][] burst = new byte[300][];
        java.util.Arrays.fill(burst, publish311("blast/x", bytes(1, 2, 3)));
        v3.send(concat(burst));
        assertThat(v3.closedByBroker()).isTrue();
      }
      assertThat(bystander.pings()).isTrue();
      assertThat(broker.meters.get("flotilla.mqtt.rate.limited").tag("action", "disconnected").counter().count())
          .isEqualTo(2);
    }
  }

  static byte[] connectAs(int version, String clientId, String user) {
    return packet(0x10, str("MQTT"), bytes(version), bytes(0xC2), u16(60), version == 5 ? props() : new byte[0],
        str(clientId), str(user), str(TestBroker.PASSWORD));
  }

  /** The CONNACK code (3.1.1 return code or MQTT 5 reason code) a connection of {@code user} gets. */
  static int connackCode(RawClient c, int version, String clientId, String user) throws IOException {
    c.send(connectAs(version, clientId, user));
    Packet ack = c.read();
    assertThat(ack.type()).isEqualTo(RawClient.CONNACK);
    return ack.byteAt(1);
  }

  static RawClient connected(int port, int version, String clientId, String user) throws IOException {
    RawClient c = new RawClient(port);
    assertThat(connackCode(c, version, clientId, user)).as("CONNACK of " + clientId).isZero();
    return c;
  }

  /**
   * Two connections per tenant: the third of tenant {@code acme} is refused (0x97 / 3) while another
   * tenant connects; a take-over does not count again; after a disconnect the next one is accepted.
   */
  @Test
  void tenantConnectionLimit() throws Exception {
    try (TestBroker broker = TestBroker.start(c -> c.withMaxConnectionsPerTenant(2));
        RawClient one = connected(broker.port(), 5, "d1", "acme/device/d1");
        RawClient two = connected(broker.port(), 4, "d2", "acme/device/d2")) {
      try (RawClient third = new RawClient(broker.port())) {
        assertThat(connackCode(third, 5, "d3", "acme/device/d3")).isEqualTo(0x97);
        assertThat(third.closedByBroker()).isTrue();
      }
      try (RawClient third = new RawClient(broker.port())) {
        assertThat(connackCode(third, 4, "d3", "acme/device/d3")).isEqualTo(3);
        assertThat(third.closedByBroker()).isTrue();
      }
      try (RawClient other = connected(broker.port(), 5, "d1", "globex/device/d1")) {
        assertThat(other.pings()).isTrue();
      }
      // d1 connects again: a take-over of the connected d1, not a third connection.
      try (RawClient again = connected(broker.port(), 5, "d1", "acme/device/d1")) {
        Packet takenOver = one.read();
        assertThat(takenOver.type()).isEqualTo(RawClient.DISCONNECT);
        assertThat(takenOver.byteAt(0)).isEqualTo(0x8E);
        assertThat(one.closedByBroker()).isTrue();
        try (RawClient third = new RawClient(broker.port())) {
          assertThat(connackCode(third, 5, "d3", "acme/device/d3")).as("still two connected").isEqualTo(0x97);
        }
        two.send(bytes(0xE0, 0x00)); // DISCONNECT
        assertThat(two.closedByBroker()).isTrue();
        await().atMost(5, TimeUnit.SECONDS).ignoreExceptions().until(() -> {
          try (RawClient third = new RawClient(broker.port())) {
            return connackCode(third, 5, "d3", "acme/device/d3") == 0;
          }
        });
        assertThat(again.pings()).isTrue();
      }
      assertThat(broker.meters.get("flotilla.mqtt.connects").tag("result", "quota_exceeded").counter().count())
          .isGreaterThanOrEqualTo(3);
    }
  }
}
