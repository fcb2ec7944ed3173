package io.flotilla.tools.bench;

import java.nio.file.Path;

/** Starts one kind of broker in a process of its own, on free ports of 127.0.0.1. */
interface BrokerLauncher {
  BrokerKind kind();

  /**
   * Starts a fresh broker whose files (configuration, data, log) go into {@code folder}, and
   * returns once it accepts connections.
   *
   * @throws BrokerUnavailableException if it is not installed, does not start, or does not accept
   *     connections in time; the message says which, with the last lines of its output
   */
  RunningBroker start(Path folder) throws BrokerUnavailableException;
}
