package io.flotilla.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Heap held per idle connected client (MQTT 5, persistent session, one subscription): the budget is
 * 10 KiB. Measured in one JVM, so the figure includes the test's own client sockets and is an upper bound.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdleConnectionMemoryIT {

  static final int CLIENTS = Integer.getInteger("flotilla.memory.clients", 2000);

  @Test
  void idleConnectionsStayUnderTenKibibytesEach() throws Exception {
    try (TestBroker broker = TestBroker.start()) {
      warmUp(broker);
      long before = usedHeapAfterGc();
      List<SocketChannel> clients = new ArrayList<>(CLIENTS);
      for (int i = 0; i < CLIENTS; i++) {
        SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", broker.port()));
        byte[] connect = RawClient.connect5("idle-" + i, RawClient.props(RawClient.bytes(0x11), RawClient.u32(3600)));
        byte[] subscribe = RawClient.packet(0x82, RawClient.u16(1), RawClient.props(), RawClient.str("idle/" + i
            + "/commands/#"), RawClient.bytes(1));
        c.write(ByteBuffer.wrap(RawClient.concat(connect, subscribe)));
        clients.add(c);
      }
      await().atMost(60, TimeUnit.SECONDS).until(() -> broker.broker.sessions().stream()
          .filter(s -> s.connected() && s.subscriptions() == 1).count() == CLIENTS);
      long after = usedHeapAfterGc();
      long perClient = (after - before) / CLIENTS;
      System.out.printf("Heap per idle MQTT connection: %d bytes (%d clients)%n", perClient, CLIENTS);
      assertThat(perClient).isLessThan(10 * 1024);
      for (SocketChannel c : clients) {
        c.close();
      }
    }
  }

  private static void warmUp(TestBroker broker) throws Exception {
    try (RawClient c = RawClient.connected5(broker.port(), "warm-up")) {
      c.pings();
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
