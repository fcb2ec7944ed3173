package io.flotilla.gateway.mqtt;

import io.flotilla.gateway.mqtt.auth.ProtocolVersion;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A session as operators see it. The connection details are present while the client is connected.
 *
 * @param queuedMessages QoS 1/2 messages waiting for the client (offline or beyond its window)
 * @param inFlightMessages QoS 1/2 messages sent and not yet acknowledged
 */
public record SessionInfo(String tenant, String clientId, boolean connected, Optional<ProtocolVersion> protocolVersion,
    Optional<SocketAddress> remoteAddress, Optional<Instant> connectedSince, int subscriptions, int queuedMessages,
    int inFlightMessages) {
  public SessionInfo {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(protocolVersion, "protocolVersion");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    Objects.requireNonNull(connectedSince, "connectedSince");
  }
}
