package io.flotilla.gateway.mqtt;

/** Why a client's connection ended, as told to a {@link ConnectionListener}. */
public enum DisconnectReason {
  /** The client sent DISCONNECT. */
  CLIENT_DISCONNECTED,
  /** The network connection closed without DISCONNECT. */
  CONNECTION_LOST,
  /** Nothing arrived within 1.5 times the keep-alive interval. */
  KEEP_ALIVE_TIMEOUT,
  /** Another connection with the same client id took the session over. */
  TAKEN_OVER,
  /** The client broke the protocol (malformed packet, packet too large, flow-control violation…). */
  PROTOCOL_ERROR,
  /** The client sent PUBLISH packets far faster than its rate limit allows. */
  RATE_LIMITED,
  /** An operator disconnected the client through {@link MqttBroker#disconnect}. */
  ADMINISTRATIVE,
  /** The broker is shutting down. */
  SERVER_SHUTDOWN,
  /** A message could not be taken for now (storage failing); an MQTT 3.1.1 client is closed to resend it. */
  SERVER_UNAVAILABLE
}
