package io.flotilla.gateway.mqtt.auth;

/**
 * Decides who a connecting client is. Called once per CONNECT on a virtual thread, never on a network
 * event loop, so an implementation may block (query a database, check a certificate revocation list).
 * Throwing is answered with "server unavailable".
 */
@FunctionalInterface
public interface MqttAuthenticator {

  AuthDecision authenticate(ConnectInfo info);

  /** Accepts every client as {@link ClientIdentity.Kind#ANONYMOUS} in one tenant; for development only. */
  static MqttAuthenticator anonymous(String tenant) {
    ClientIdentity identity = ClientIdentity.anonymous(tenant);
    return info -> AuthDecision.accept(identity);
  }
}
