package io.flotilla.gateway.mqtt.session;

import io.flotilla.core.broker.BrokerMessage;
import java.util.List;
import java.util.function.Consumer;

/**
 * One message on its way to one session, with what the matching subscriptions decided.
 *
 * @param qos the QoS it is delivered with: the lower of the published and the subscribed QoS
 * @param retain the RETAIN flag to send: true for retained messages sent on subscribe, the published flag
 *     for subscriptions with retain-as-published, false otherwise
 * @param subscriptionIds the MQTT 5 subscription identifiers of every matching subscription
 * @param acknowledged told the client id of the session once its client acknowledged the message (QoS 1 PUBACK,
 *     QoS 2 PUBCOMP): set only for messages the platform publishes and wants to hear about ({@link #NO_ACK} else);
 *     runs inside the session's lock, so it must not block. Kept in memory only: a message restored from the store
 *     after a restart has none.
 */
public record Delivery(BrokerMessage message, int qos, boolean retain, int[] subscriptionIds,
    Consumer<String> acknowledged) {

  static final int[] NO_IDS = new int[0];
  /** Nobody listens for the acknowledgement (every ordinary message). */
  public static final Consumer<String> NO_ACK = clientId -> { };

  public Delivery(BrokerMessage message, int qos, boolean retain, int[] subscriptionIds) {
    this(message, qos, retain, subscriptionIds, NO_ACK);
  }

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
