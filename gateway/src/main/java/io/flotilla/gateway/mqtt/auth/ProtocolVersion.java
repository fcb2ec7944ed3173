package io.flotilla.gateway.mqtt.auth;

/** The MQTT protocol version a client connected with. */
public enum ProtocolVersion {
  /** MQTT 3.1 (protocol name {@code MQIsdp}), treated like 3.1.1. */
  MQTT_3_1,
  MQTT_3_1_1,
  MQTT_5;

  public boolean isV5() {
    return this == MQTT_5;
  }
}
