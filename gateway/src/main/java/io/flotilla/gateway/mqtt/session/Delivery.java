package io.flotilla.gateway.mqtt.session;

import io.flotilla.core.broker.BrokerMessage;
import java.util.List;

/**
 * One message on its way to one session, with what the matching subscriptions decided.
 *
 * @param qos the QoS it is delivered with: the lower of the published and the subscribed QoS
 * @param retain the RETAIN flag to send: true for retained messages sent on subscribe, the published flag
 *     for subscriptions with retain-as-published, false otherwise
 * @param subscriptionIds the MQTT 5 subscription identifiers of every matching subscription
 */
public record Delivery(BrokerMessage message, int qos, boolean retain, int[] subscriptionIds) {

  static final int[] NO_IDS = new int[0];

  /** A message read back from the store: its stored QoS and RETAIN are the ones to deliver. */
  static Delivery restored(BrokerMessage message) {
    return new Delivery(message, message.qos(), message.retain(), NO_IDS);
  }

  /** The message as it is kept in a session's queue in the store. */
  BrokerMessage forStore() {
    BrokerMessage m = message;
    if (m.qos() == qos && m.retain() == retain) {
      return m;
    }
    return new BrokerMessage(m.topic(), m.payload(), qos, retain, m.expiresAt(), m.contentType(), m.responseTopic(),
        m.correlationData(), m.payloadUtf8(), List.copyOf(m.userProperties()), m.receivedAt());
  }
}
