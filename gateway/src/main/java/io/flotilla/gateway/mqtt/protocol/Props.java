package io.flotilla.gateway.mqtt.protocol;

import io.flotilla.core.broker.UserProperty;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.util.ArrayList;
import java.util.List;

/** Reads MQTT 5 properties decoded by Netty into plain values. */
final class Props {

  private Props() {
  }

  /** An integer property, or -1 when absent. */
  static long integer(MqttProperties properties, int id) {
    MqttProperties.MqttProperty<?> p = properties.getProperty(id);
    return p == null ? -1 : ((Integer) p.value()).longValue() & 0xFFFF_FFFFL;
  }

  /** A string property, or null when absent. */
  static String string(MqttProperties properties, int id) {
    MqttProperties.MqttProperty<?> p = properties.getProperty(id);
    return p == null ? null : (String) p.value();
  }

  /** A binary property, or null when absent. */
  static byte[] binary(MqttProperties properties, int id) {
    MqttProperties.MqttProperty<?> p = properties.getProperty(id);
    return p == null ? null : (byte[]) p.value();
  }

  static boolean has(MqttProperties properties, int id) {
    return properties.getProperty(id) != null;
  }

  /** The user properties in the order received; an empty list (not a copy) when there are none. */
  static List<UserProperty> userProperties(MqttProperties properties) {
    MqttProperties.MqttProperty<?> p = properties.getProperty(MqttProperties.USER_PROPERTY);
    if (p == null) {
      return List.of();
    }
    @SuppressWarnings("unchecked")
    List<MqttProperties.StringPair> pairs = (List<MqttProperties.StringPair>) p.value();
    List<UserProperty> result = new ArrayList<>(pairs.size());
    for (MqttProperties.StringPair pair : pairs) {
      result.add(new UserProperty(pair.key, pair.value));
    }
    return result;
  }
}
