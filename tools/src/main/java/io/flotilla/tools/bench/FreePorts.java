package io.flotilla.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks TCP ports that are free on 127.0.0.1 for a broker that must be told its port: the system
 * assigns one, and it is released at once. Another program could take it in between; a broker that
 * then fails to bind says so in its log, and the benchmark reports it as unavailable.
 */
final class FreePorts {
  private FreePorts() {}

  static int pick() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free TCP port on the loopback address", e);
    }
  }
}
