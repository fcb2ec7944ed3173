package io.flotilla.core.broker;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A client session on the broker as operators see it.
 *
 * @param protocol {@code mqtt-3.1.1} or {@code mqtt-5}, while connected
 * @param clientAddress the remote address, while connected
 */
public record ClientSession(String tenant, String clientId, boolean connected, Optional<String> protocol,
    Optional<String> clientAddress, Optional<Instant> connectedSince, int subscriptions, int queuedMessages) {
  public ClientSession {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(connectedSince, "connectedSince");
  }
}
