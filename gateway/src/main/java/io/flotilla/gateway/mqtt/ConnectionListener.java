package io.flotilla.gateway.mqtt;

import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.ProtocolVersion;
import java.net.SocketAddress;

/**
 * Told when clients connect and disconnect, so the platform can track which devices are online.
 * Called on the connection's network event loop: implementations must return quickly and not block
 * (hand the work to a queue or executor of their own).
 */
public interface ConnectionListener {

  /** A listener that does nothing. */
  ConnectionListener NONE = new ConnectionListener() {
  };

  /** The client was accepted with this protocol version; called after CONNACK went out. */
  default void onConnected(ClientIdentity identity, String clientId, SocketAddress remoteAddress,
      ProtocolVersion version) {
  }

  /** An accepted client's connection ended. */
  default void onDisconnected(ClientIdentity identity, String clientId, DisconnectReason reason) {
  }
}
