package io.flotilla.gateway.mqtt.auth;

/**
 * Decides each publish and subscription of an authenticated client. Called on the network event loop
 * for every PUBLISH, so it must answer from memory and quickly; it must not block.
 */
public interface MqttAuthorizer {

  /** May {@code who} publish to {@code topic} (a topic name, never containing wildcards)? */
  boolean mayPublish(ClientIdentity who, String topic);

  /**
   * May {@code who} subscribe to {@code topicFilter}? For a shared subscription the filter is the part
   * after {@code $share/{group}/}, since that is what decides which messages the client would see.
   */
  boolean maySubscribe(ClientIdentity who, String topicFilter);

  /** Allows everything; for tests and single-user development brokers. */
  static MqttAuthorizer allowAll() {
    return new MqttAuthorizer() {
      @Override
      public boolean mayPublish(ClientIdentity who, String topic) {
        return true;
      }

      @Override
      public boolean maySubscribe(ClientIdentity who, String topicFilter) {
        return true;
      }
    };
  }
}
