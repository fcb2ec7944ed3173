package io.flotilla.core.broker;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * MQTT carried in binary WebSocket messages (MQTT 3.1.1 and 5.0, section 6), as a port between the
 * HTTP server, which owns the WebSocket sessions, and the broker, which speaks MQTT. Implemented by the
 * gateway; the API mounts it on its HTTP port. The bytes are a stream: a message may hold part of an
 * MQTT packet or several.
 */
public interface MqttOverWebSocket {

  /** The WebSocket subprotocol the server selects (MQTT spec section 6). */
  String SUBPROTOCOL = "mqtt";

  /** Opens a broker connection for a new WebSocket session. */
  Connection open(Peer peer);

  /** The largest WebSocket message the transport should accept, in bytes. */
  int maxMessageBytes();

  /** The WebSocket side of one session, as the broker sees it. */
  interface Peer {
    /** The address of the WebSocket client, for logs and connectivity records. */
    SocketAddress remoteAddress();

    /**
     * Sends {@code bytes} in one binary message without blocking; {@code done} runs once the message is
     * written or failed (the buffer may be reused then).
     */
    void send(ByteBuffer bytes, Runnable done);

    /** Closes the WebSocket session; idempotent. */
    void close();
  }

  /** The broker side of one session, fed by the WebSocket transport. */
  interface Connection {
    /** A binary message arrived; the bytes are copied before this returns. */
    void onBinary(byte[] data, int offset, int length);

    /** The WebSocket session closed (or failed); closes the broker connection. Idempotent. */
    void onClose();
  }
}
