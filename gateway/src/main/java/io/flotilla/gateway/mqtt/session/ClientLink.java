package io.flotilla.gateway.mqtt.session;

import io.flotilla.gateway.mqtt.auth.ProtocolVersion;

/**
 * The network side of a session while its client is connected: one MQTT connection. Methods may be
 * called from any thread (under the session's monitor); implementations hand the packets to their
 * channel's event loop.
 */
public interface ClientLink {

  /**
   * Builds the PUBLISH packet for this client, or returns null when it would exceed the client's
   * maximum packet size (the message is then dropped for this client).
   */
  Object publishPacket(Delivery delivery, int packetId, boolean dup, long nowMillis);

  /** Sends a packet built by {@link #publishPacket}. */
  void sendPublish(Object packet, int qos);

  /** Sends PUBREL; {@code reasonCode} 0x92 says the packet id was not found (MQTT 5 only). */
  void sendPubRel(int packetId, int reasonCode);

  /** How many QoS 1 and 2 messages may await acknowledgement at once (the client's receive maximum). */
  int sendWindow();

  /** False while the connection's outbound buffer is full; QoS 0 messages are dropped then. */
  boolean isWritable();

  /** Another connection took the session over: tell the client (MQTT 5) and close. */
  void takenOver();

  /** Closes the connection on an operator's request (MQTT 5: DISCONNECT 0x98 administrative action). */
  void disconnectByAdministrator();

  /** Closes the connection because the broker stops (MQTT 5: DISCONNECT 0x8B server shutting down). */
  void disconnectForShutdown();

  ProtocolVersion protocolVersion();

  java.net.SocketAddress remoteAddress();

  long connectedAtMillis();

  /** Identifies the connection in logs. */
  String describe();

  /** Who the client proved to be at CONNECT; empty for links that do not know it. */
  default java.util.Optional<io.flotilla.gateway.mqtt.auth.ClientIdentity> identity() {
    return java.util.Optional.empty();
  }
}
