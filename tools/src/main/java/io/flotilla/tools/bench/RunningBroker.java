package io.flotilla.tools.bench;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A broker that a {@link BrokerLauncher} started for the benchmark, in a process of its own,
 * listening on 127.0.0.1. Closing it stops the process.
 *
 * @param version the broker's version, as the results show it
 * @param port the plain MQTT listener
 * @param tlsPort the MQTT over TLS listener, if the broker has one that accepts connections
 * @param tlsMissing why there is no TLS listener, when there is none
 */
record RunningBroker(BrokerKind kind, String version, ChildProcess process, int port, Optional<Integer> tlsPort,
    String tlsMissing) implements AutoCloseable {
  RunningBroker {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(tlsPort, "tlsPort");
    Objects.requireNonNull(tlsMissing, "tlsMissing");
  }

  /** A broker's memory at one moment: resident bytes, and for a JVM the heap in use after a full GC. */
  record MemorySample(long residentBytes, OptionalLong heapBytes) {}

  InetSocketAddress plainAddress() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  Optional<InetSocketAddress> tlsAddress() {
    return tlsPort.map(p -> new InetSocketAddress("127.0.0.1", p));
  }

  long pid() {
    return process.pid();
  }

  /**
   * Measures memory now. A JVM broker is asked for a full GC first, so its heap figure counts live
   * objects only; the resident size is read afterwards.
   *
   * @throws BrokerUnavailableException if the process is gone or {@code /proc} cannot be read
   */
  MemorySample memory() throws BrokerUnavailableException {
    OptionalLong heap = kind.isJvm() ? JvmHeap.usedAfterFullGc(pid()) : OptionalLong.empty();
    OptionalLong resident = ProcessStats.residentBytes(pid());
    if (resident.isEmpty()) {
      throw new BrokerUnavailableException("cannot read the memory of " + kind.displayName() + " (pid " + pid()
          + ") from /proc" + process.lastWords());
    }
    return new MemorySample(resident.getAsLong(), heap);
  }

  @Override
  public void close() {
    process.close();
  }
}
