package io.flotilla.gateway.mqtt.protocol;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;

/**
 * Builds the control packets the broker sends. The encoder writes MQTT 5 reason codes and properties
 * only on MQTT 5 connections, so the same packet objects serve both versions.
 */
final class Packets {

  private static final MqttFixedHeader CONNACK = header(MqttMessageType.CONNACK, MqttQoS.AT_MOST_ONCE);
  private static final MqttFixedHeader PUBACK = header(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE);
  private static final MqttFixedHeader PUBREC = header(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE);
  // PUBREL's fixed header flags are 0010 (MQTT-3.6.1-1).
  private static final MqttFixedHeader PUBREL = header(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE);
  private static final MqttFixedHeader PUBCOMP = header(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE);
  private static final MqttFixedHeader SUBACK = header(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE);
  private static final MqttFixedHeader UNSUBACK = header(MqttMessageType.UNSUBACK, MqttQoS.AT_MOST_ONCE);
  private static final MqttFixedHeader DISCONNECT = header(MqttMessageType.DISCONNECT, MqttQoS.AT_MOST_ONCE);

  private Packets() {
  }

  private static MqttFixedHeader header(MqttMessageType type, MqttQoS qos) {
    return new MqttFixedHeader(type, false, qos, false, 0);
  }

  static MqttConnAckMessage connAck(int code, boolean sessionPresent, MqttProperties properties) {
    return new MqttConnAckMessage(CONNACK,
        new MqttConnAckVariableHeader(MqttConnectReturnCode.valueOf((byte) code), sessionPresent, properties));
  }

  static MqttMessage pubAck(int packetId, int reasonCode, MqttProperties properties) {
    return new MqttMessage(PUBACK, new MqttPubReplyMessageVariableHeader(packetId, (byte) reasonCode, properties));
  }

  static MqttMessage pubRec(int packetId, int reasonCode, MqttProperties properties) {
    return new MqttMessage(PUBREC, new MqttPubReplyMessageVariableHeader(packetId, (byte) reasonCode, properties));
  }

  static MqttMessage pubRel(int packetId, int reasonCode) {
    return new MqttMessage(PUBREL,
        new MqttPubReplyMessageVariableHeader(packetId, (byte) reasonCode, MqttProperties.NO_PROPERTIES));
  }

  static MqttMessage pubComp(int packetId, int reasonCode) {
    return new MqttMessage(PUBCOMP,
        new MqttPubReplyMessageVariableHeader(packetId, (byte) reasonCode, MqttProperties.NO_PROPERTIES));
  }

  static MqttSubAckMessage subAck(int packetId, int[] codes, MqttProperties properties) {
    return new MqttSubAckMessage(SUBACK, new MqttMessageIdAndPropertiesVariableHeader(packetId, properties),
        new MqttSubAckPayload(codes));
  }

  static MqttUnsubAckMessage unsubAck(int packetId, short[] codes, MqttProperties properties) {
    return new MqttUnsubAckMessage(UNSUBACK, new MqttMessageIdAndPropertiesVariableHeader(packetId, properties),
        new MqttUnsubAckPayload(codes));
  }

  static MqttMessage disconnect(int reasonCode, MqttProperties properties) {
    return new MqttMessage(DISCONNECT, new MqttReasonCodeAndPropertiesVariableHeader((byte) reasonCode, properties));
  }

  /** Properties carrying only a reason string, or none when the client asked for no problem information. */
  static MqttProperties reasonString(String reason, boolean allowed) {
    if (!allowed || reason == null) {
      return MqttProperties.NO_PROPERTIES;
    }
    MqttProperties properties = new MqttProperties();
    properties.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reason));
    return properties;
  }
}
