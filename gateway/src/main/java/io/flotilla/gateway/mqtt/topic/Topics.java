package io.flotilla.gateway.mqtt.topic;

import io.flotilla.core.acl.TopicFilters;
import io.netty.buffer.ByteBufUtil;

/** Validation and splitting of topic names and filters (MQTT 3.1.1 section 4.7, MQTT 5 section 4.7). */
public final class Topics {

  /** Topic names and filters are UTF-8 strings of at most this many bytes. */
  public static final int MAX_BYTES = 65_535;

  private Topics() {
  }

  /** A topic name a client may publish to: non-empty, no wildcards, no NUL, at most 65535 bytes. */
  public static boolean isValidName(String topic) {
    if (topic.isEmpty() || ByteBufUtil.utf8Bytes(topic) > MAX_BYTES) {
      return false;
    }
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (c == '+' || c == '#' || c == 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * A topic filter without the shared-subscription prefix: non-empty, {@code #} only as the whole last
   * level, {@code +} only as a whole level, no NUL.
   */
  public static boolean isValidFilter(String filter) {
    if (filter.isEmpty() || ByteBufUtil.utf8Bytes(filter) > MAX_BYTES) {
      return false;
    }
    int levelStart = 0;
    for (int i = 0; i < filter.length(); i++) {
      char c = filter.charAt(i);
      if (c == 0) {
        return false;
      }
      if (c == '/') {
        levelStart = i + 1;
      } else if (c == '+') {
        if (i != levelStart || (i + 1 < filter.length() && filter.charAt(i + 1) != '/')) {
          return false;
        }
      } else if (c == '#') {
        if (i != levelStart || i != filter.length() - 1) {
          return false;
        }
      }
    }
    return true;
  }

  public static boolean hasWildcard(String filter) {
    return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
  }

  /** Splits at every {@code /}, keeping empty levels ({@code "a//b"} has three levels, {@code "/"} two). */
  public static String[] levels(String topic) {
    return TopicFilters.levels(topic);
  }
}
