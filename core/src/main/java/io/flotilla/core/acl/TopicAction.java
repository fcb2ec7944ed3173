package io.flotilla.core.acl;

import io.flotilla.core.error.ValidationException;
import java.util.Locale;

/** What a topic rule lets a device do with the topics its filter names. */
public enum TopicAction {
  /** Publish to topics the rule's filter matches. */
  PUBLISH,
  /** Subscribe with filters the rule's filter covers. */
  SUBSCRIBE;

  /** The lower-case name used in JSON ({@code publish}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TopicAction fromWire(String field, String value) {
    for (TopicAction action : values()) {
      if (action.wireName().equals(value)) {
        return action;
      }
    }
    throw new ValidationException(field, "'" + value + "' is not an action; use publish or subscribe");
  }
}
