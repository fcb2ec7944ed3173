package io.flotilla.core.group;

import io.flotilla.core.error.ValidationException;
import java.util.Locale;

/** Static groups list their members; dynamic groups hold whatever devices match their filter. */
public enum GroupType {
  STATIC, DYNAMIC;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static GroupType fromWire(String value) {
    for (GroupType t : values()) {
      if (t.wireName().equals(value)) {
        return t;
      }
    }
    throw new ValidationException("type", "'" + value + "' is not a group type; use static or dynamic");
  }
}
