package io.flotilla.core.broker;

import java.util.Objects;

/** An MQTT 5 user property: a key–value pair that travels with a message, in order, keys may repeat. */
public record UserProperty(String key, String value) {
  public UserProperty {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
