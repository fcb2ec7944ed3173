package io.flotilla.gateway.mqtt.protocol;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.UserProperty;
import io.flotilla.gateway.mqtt.session.Delivery;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;

/**
 * Builds outbound PUBLISH packets and computes their encoded size first, so that a message larger than
 * the client's maximum packet size is dropped for that client instead of being sent (MQTT-3.1.2-24).
 */
final class PublishPackets {

  private PublishPackets() {
  }

  /** The PUBLISH for {@code d}, or null when its encoded size exceeds {@code maxPacketSize}. */
  static MqttPublishMessage build(Delivery d, int packetId, boolean dup, boolean v5, long maxPacketSize,
      long nowMillis) {
    BrokerMessage m = d.message();
    MqttProperties properties = MqttProperties.NO_PROPERTIES;
    int propertiesLength = 0;
    if (v5 && hasProperties(d)) {
      properties = new MqttProperties();
      propertiesLength = properties(d, nowMillis, properties);
    }
    long remaining = 2L + ByteBufUtil.utf8Bytes(m.topic()) + (d.qos() > 0 ? 2 : 0) + m.payload().length
        + (v5 ? variableIntLength(propertiesLength) + propertiesLength : 0);
    long packetSize = 1 + variableIntLength((int) Math.min(remaining, Integer.MAX_VALUE)) + remaining;
    if (packetSize > maxPacketSize) {
      return null;
    }
    MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(d.qos()), d.retain(), 0);
    return new MqttPublishMessage(header, new MqttPublishVariableHeader(m.topic(), d.qos() > 0 ? packetId : 0,
        properties), Unpooled.wrappedBuffer(m.payload()));
  }

  private static boolean hasProperties(Delivery d) {
    BrokerMessage m = d.message();
    return m.payloadUtf8() || m.expiresAt().isPresent() || m.contentType().isPresent() || m.responseTopic().isPresent()
        || m.correlationData().isPresent() || !m.userProperties().isEmpty() || d.subscriptionIds().length > 0;
  }

  /** Adds the message's MQTT 5 properties; returns their encoded length. */
  private static int properties(Delivery d, long nowMillis, MqttProperties out) {
    BrokerMessage m = d.message();
    int length = 0;
    if (m.payloadUtf8()) {
      out.add(new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1));
      length += 2;
    }
    if (m.expiresAt().isPresent()) {
      // The remaining lifetime, rounded up so that a message about to expire is not sent as "0".
      long remainingMillis = m.expiresAt().get().toEpochMilli() - nowMillis;
      int seconds = (int) Math.max(1, (remainingMillis + 999) / 1000);
      out.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, seconds));
      length += 5;
    }
    if (m.contentType().isPresent()) {
      out.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, m.contentType().get()));
      length += 3 + ByteBufUtil.utf8Bytes(m.contentType().get());
    }
    if (m.responseTopic().isPresent()) {
      out.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, m.responseTopic().get()));
      length += 3 + ByteBufUtil.utf8Bytes(m.responseTopic().get());
    }
    if (m.correlationData().isPresent()) {
      out.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, m.correlationData().get()));
      length += 3 + m.correlationData().get().length;
    }
    if (!m.userProperties().isEmpty()) {
      MqttProperties.UserProperties users = new MqttProperties.UserProperties();
      for (UserProperty p : m.userProperties()) {
        users.add(p.key(), p.value());
        length += 5 + ByteBufUtil.utf8Bytes(p.key()) + ByteBufUtil.utf8Bytes(p.value());
      }
      out.add(users);
    }
    for (int id : d.subscriptionIds()) {
      out.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, id));
      length += 1 + variableIntLength(id);
    }
    return length;
  }

  static int variableIntLength(int value) {
    if (value < 128) {
      return 1;
    }
    if (value < 16_384) {
      return 2;
    }
    return value < 2_097_152 ? 3 : 4;
  }
}
