package io.flotilla.gateway.mqtt;

import static io.flotilla.gateway.mqtt.RawClient.bytes;
import static io.flotilla.gateway.mqtt.RawClient.concat;
import static io.flotilla.gateway.mqtt.RawClient.packet;
import static io.flotilla.gateway.mqtt.RawClient.props;
import static io.flotilla.gateway.mqtt.RawClient.str;
import static io.flotilla.gateway.mqtt.RawClient.u16;
import static io.flotilla.gateway.mqtt.RawClient.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Throws random bytes and mutated valid packet sequences at the broker over TCP (seeded, so a failure
 * can be replayed), then checks it still serves a normal client and has closed every fuzzed connection.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FuzzIT {

  static final long SEED = Long.getLong("flotilla.fuzz.seed", 20_261_122L);
  static final int CASES = Integer.getInteger("flotilla.fuzz.cases", 3000);
  static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start(c -> c.withMaxPacketSize(4096).withConnectTimeout(Duration.ofSeconds(2))
        .withTopicAliasMaximum(4).withReceiveMaximum(8));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** Valid packets to start from: a connection's worth of traffic for each protocol version. */
  static List<byte[]> validSequence(Random r, int n) {
    boolean v5 = r.nextBoolean();
    byte[] noProps = v5 ? props() : new byte[0];
    List<byte[]> seq = new ArrayList<>();
    seq.add(packet(0x10, str("MQTT"), bytes(v5 ? 5 : 4), bytes(r.nextBoolean() ? 0x02 : 0x2E), u16(r.nextInt(3)),
        v5 ? props(bytes(0x11), u32(r.nextInt(5)), bytes(0x21), u16(1 + r.nextInt(3)), bytes(0x22), u16(2)) : new byte[0],
        str("fuzz-" + n),
        r.nextBoolean() ? concat(v5 ? props(bytes(0x18), u32(1)) : new byte[0], str("fuzz/will"), str("bye")) : new byte[0]));
    seq.add(packet(0x82, u16(1), noProps, str(r.nextBoolean() ? "fuzz/#" : "$share/g/fuzz/+"), bytes(r.nextInt(3))));
    seq.add(packet(0x30, str("fuzz/a"), v5 ? props(bytes(0x23), u16(1), bytes(0x26), str("k"), str("v")) : new byte[0],
        bytes(1, 2, 3)));
    seq.add(packet(0x32, str("fuzz/b"), u16(2), noProps, bytes(4)));
    seq.add(packet(0x34, str("fuzz/c"), u16(3), noProps, bytes(5)));
    seq.add(packet(0x62, u16(3)));
    seq.add(packet(0x40, u16(1)));
    seq.add(packet(0x50, u16(2)));
    seq.add(packet(0x70, u16(2)));
    seq.add(packet(0xA2, u16(4), noProps, str("fuzz/#")));
    seq.add(bytes(0xC0, 0x00));
    if (r.nextBoolean()) {
      seq.add(packet(0xE0, v5 ? bytes(r.nextBoolean() ? 0 : 4) : new byte[0]));
    }
    return seq;
  }

  static byte[] mutate(Random r, byte[] data) {
    byte[] d = data.clone();
    if (d.length == 0) {
      return new byte[] {(byte) r.nextInt(256)};
    }
    switch (r.nextInt(6)) {
      case 0 -> d[r.nextInt(d.length)] = (byte) r.nextInt(256);                  // one byte changed
      case 1 -> d[r.nextInt(d.length)] ^= (byte) (1 << r.nextInt(8));            // one bit flipped
      case 2 -> d = java.util.Arrays.copyOf(d, r.nextInt(d.length + 1));         // truncated
      case 3 -> {                                                                 // a random byte inserted
        int at = r.nextInt(d.length + 1);
        byte[] e = new byte[d.length + 1];
        System.arraycopy(d, 0, e, 0, at);
        e[at] = (byte) r.nextInt(256);
        System.arraycopy(d, at, e, at + 1, d.length - at);
        d = e;
      }
      case 4 -> {                                                                 // length field garbled
        if (d.length > 1) {
          d[1] = (byte) r.nextInt(256);
        }
      }
      default -> {                                                                // a run of random bytes
        int from = r.nextInt(d.length);
        for (int i = from; i < Math.min(d.length, from + 1 + r.nextInt(8)); i++) {
          d[i] = (byte) r.nextInt(256);
        }
      }
    }
    return d;
  }

  static byte[] fuzzCase(Random r, int n) {
    if (r.nextInt(5) == 0) {
      byte[] junk = new byte[1 + r.nextInt(300)];
      r.nextBytes(junk);
      return junk;
    }
    List<byte[]> seq = validSequence(r, n);
    int mutations = 1 + r.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      int which = r.nextInt(seq.size());
      seq.set(which, mutate(r, seq.get(which)));
    }
    return concat(seq.toArray(byte[][]::new));
  }

  /** Runs one case: send, read whatever comes back for a moment, close. */
  static void run(byte[] bytes) throws IOException {
    try (Socket s = new Socket("127.0.0.1", broker.port())) {
      s.setSoTimeout(50);
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      byte[] sink = new byte[1024];
      try {
        while (in.read(sink) >= 0) {
          // drain until the broker closes or goes quiet
        }
      } catch (java.net.SocketTimeoutException | java.net.SocketException quiet) {
        // the broker waits for more, or reset the connection: both fine
      }
    } catch (java.net.SocketException reset) {
      // the broker closed while we were still writing
    }
  }

  /** A few thousand malformed and mutated inputs neither crash the broker nor leak connections. */
  @Test
  void brokerSurvivesFuzzedInput() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicInteger done = new AtomicInteger();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int worker = w;
      workers.add(pool.submit(() -> {
        Random r = new Random(SEED + worker);
        for (int n = worker; n < CASES && System.nanoTime() < deadline; n += 4) {
          run(fuzzCase(r, n));
          done.incrementAndGet();
        }
        return null;
      }));
    }
    for (Future<?> f : workers) {
      f.get();
    }
    pool.shutdown();
    assertThat(done.get()).isGreaterThan(CASES / 2);
    try (RawClient normal = RawClient.connected5(broker.port(), "after-fuzz");
        RawClient listener = RawClient.connected311(broker.port(), "after-fuzz-listener")) {
      listener.send(packet(0x82, u16(1), str("healthy/t"), bytes(1)));
      assertThat(listener.read().type()).isEqualTo(RawClient.SUBACK);
      normal.send(packet(0x32, str("healthy/t"), u16(1), props(), bytes('o', 'k')));
      assertThat(normal.read().type()).isEqualTo(RawClient.PUBACK);
      assertThat(listener.read().type()).isEqualTo(RawClient.PUBLISH);
    }
    // Every fuzzed connection is gone again (connect timeout 2 s, keep-alive at most 3 s).
    await().atMost(20, TimeUnit.SECONDS).until(() -> broker.broker.sessions().stream().noneMatch(SessionInfo::connected));
  }
}
