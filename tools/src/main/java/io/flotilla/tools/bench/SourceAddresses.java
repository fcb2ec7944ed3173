package io.flotilla.tools.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local addresses the load generator's connections come from, taken in turn: 127.0.0.2,
 * 127.0.0.3, … Linux routes all of 127.0.0.0/8 to the loopback interface, and each source address
 * has its own range of about 28,000 ephemeral ports towards one broker port, so a few addresses
 * hold 50,000 connections and more, and the TIME_WAIT sockets that connect/disconnect loops leave
 * behind are spread over them.
 */
final class SourceAddresses {
  /** The most addresses: 127.0.0.2 to 127.0.0.254. */
  static final int MAX = 253;

  private final List<InetAddress> addresses;
  private final AtomicInteger next = new AtomicInteger();

  private SourceAddresses(List<InetAddress> addresses) {
    this.addresses = List.copyOf(addresses);
  }

  /** {@code count} loopback addresses from 127.0.0.2 on. */
  static SourceAddresses loopback(int count) {
    if (count < 1 || count > MAX) {
      throw new IllegalArgumentException("between 1 and " + MAX + " source addresses, was " + count);
    }
    List<InetAddress> addresses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      try {
        addresses.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)}));
      } catch (UnknownHostException e) {
        throw new IllegalStateException("a literal address was refused", e);
      }
    }
    return new SourceAddresses(addresses);
  }

  /** The address for the next connection, round robin; safe from any thread. */
  InetAddress next() {
    return addresses.get(Math.floorMod(next.getAndIncrement(), addresses.size()));
  }

  List<InetAddress> all() {
    return addresses;
  }

  /** Such as {@code 127.0.0.2–127.0.0.9}. */
  String describe() {
    return addresses.size() == 1 ? addresses.get(0).getHostAddress()
        : addresses.get(0).getHostAddress() + "–" + addresses.get(addresses.size() - 1).getHostAddress();
  }
}
