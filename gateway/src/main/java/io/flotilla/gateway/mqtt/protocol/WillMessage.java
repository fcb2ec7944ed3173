package io.flotilla.gateway.mqtt.protocol;

import io.flotilla.core.broker.BrokerMessage;
import java.time.Instant;
import java.util.Optional;

/**
 * A client's will, kept with its connection until the connection ends.
 *
 * @param template the message to publish; its expiry is set when it is published
 * @param expirySeconds the MQTT 5 message expiry interval of the will, -1 for none
 * @param delayMillis the MQTT 5 will delay interval; 0 publishes as soon as the connection is lost
 */
record WillMessage(BrokerMessage template, long expirySeconds, long delayMillis) {

  /** The message as published now. */
  BrokerMessage toPublish() {
    Instant now = Instant.now();
    BrokerMessage t = template;
    return new BrokerMessage(t.topic(), t.payload(), t.qos(), t.retain(),
        expirySeconds < 0 ? Optional.empty() : Optional.of(now.plusSeconds(expirySeconds)), t.contentType(),
        t.responseTopic(), t.correlationData(), t.payloadUtf8(), t.userProperties(), now);
  }
}
