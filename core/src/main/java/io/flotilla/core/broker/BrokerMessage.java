package io.flotilla.core.broker;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An application message as the broker keeps it between receiving and delivering: the PUBLISH
 * topic, payload and QoS with its MQTT 5 properties. Used for retained messages and for messages
 * queued for offline persistent sessions.
 *
 * @param expiresAt when the message expires (MQTT 5 message expiry), if it does
 * @param payloadUtf8 the payload format indicator: true when the payload is UTF-8 text
 */
public record BrokerMessage(String topic, byte[] payload, int qos, boolean retain, Optional<Instant> expiresAt,
    Optional<String> contentType, Optional<String> responseTopic, Optional<byte[]> correlationData,
    boolean payloadUtf8, List<UserProperty> userProperties, Instant receivedAt) {

  public BrokerMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("qos must be 0, 1 or 2");
    }
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(responseTopic, "responseTopic");
    Objects.requireNonNull(correlationData, "correlationData");
    userProperties = List.copyOf(userProperties);
    Objects.requireNonNull(receivedAt, "receivedAt");
  }

  public boolean isExpiredAt(Instant now) {
    return expiresAt.map(e -> !now.isBefore(e)).orElse(false);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BrokerMessage m && topic.equals(m.topic) && Arrays.equals(payload, m.payload)
        && qos == m.qos && retain == m.retain && expiresAt.equals(m.expiresAt) && contentType.equals(m.contentType)
        && responseTopic.equals(m.responseTopic)
        && Arrays.equals(correlationData.orElse(null), m.correlationData.orElse(null))
        && payloadUtf8 == m.payloadUtf8 && userProperties.equals(m.userProperties) && receivedAt.equals(m.receivedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, expiresAt, receivedAt);
  }

  @Override
  public String toString() {
    return "BrokerMessage[topic=" + topic + ", qos=" + qos + ", retain=" + retain + ", " + payload.length + " bytes]";
  }
}
