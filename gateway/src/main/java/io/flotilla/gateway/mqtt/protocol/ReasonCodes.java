package io.flotilla.gateway.mqtt.protocol;

/** The MQTT 5 reason codes the broker sends (MQTT 5 section 2.4), and the 3.1.1 SUBACK failure code. */
final class ReasonCodes {
  static final int SUCCESS = 0x00;
  static final int NO_SUBSCRIPTION_EXISTED = 0x11;
  static final int DISCONNECT_WITH_WILL = 0x04;
  static final int UNSPECIFIED_ERROR = 0x80;
  static final int MALFORMED_PACKET = 0x81;
  static final int PROTOCOL_ERROR = 0x82;
  static final int NOT_AUTHORIZED = 0x87;
  static final int SERVER_SHUTTING_DOWN = 0x8B;
  static final int BAD_AUTHENTICATION_METHOD = 0x8C;
  static final int KEEP_ALIVE_TIMEOUT = 0x8D;
  static final int SESSION_TAKEN_OVER = 0x8E;
  static final int TOPIC_FILTER_INVALID = 0x8F;
  static final int TOPIC_NAME_INVALID = 0x90;
  static final int PACKET_ID_NOT_FOUND = 0x92;
  static final int RECEIVE_MAXIMUM_EXCEEDED = 0x93;
  static final int TOPIC_ALIAS_INVALID = 0x94;
  static final int PACKET_TOO_LARGE = 0x95;
  static final int MESSAGE_RATE_TOO_HIGH = 0x96;
  static final int ADMINISTRATIVE_ACTION = 0x98;
  /** MQTT 3.1.1 CONNACK "unacceptable protocol version". */
  static final int V3_UNACCEPTABLE_PROTOCOL_VERSION = 0x01;
  /** MQTT 3.1.1 CONNACK "identifier rejected". */
  static final int V3_IDENTIFIER_REJECTED = 0x02;
  /** MQTT 3.1.1 SUBACK failure. */
  static final int V3_SUBSCRIPTION_FAILURE = 0x80;

  private ReasonCodes() {
  }
}
