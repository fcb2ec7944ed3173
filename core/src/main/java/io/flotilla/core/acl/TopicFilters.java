package io.flotilla.core.acl;

/**
 * MQTT topic filter semantics (MQTT 5 section 4.7) on topics split into levels: whether a filter matches
 * a topic name, and whether one filter covers another, that is matches every topic the other can match.
 * Topics whose first level starts with {@code $} are matched by no filter that starts with a wildcard.
 */
public final class TopicFilters {
  private TopicFilters() {}

  /** Splits at every {@code /}, keeping empty levels ({@code "a//b"} has three levels, {@code "/"} two). */
  public static String[] levels(String topic) {
    int count = 1;
    for (int i = 0; i < topic.length(); i++) {
      if (topic.charAt(i) == '/') {
        count++;
      }
    }
    String[] levels = new String[count];
    int start = 0;
    int n = 0;
    for (int i = 0; i < topic.length(); i++) {
      if (topic.charAt(i) == '/') {
        levels[n++] = topic.substring(start, i);
        start = i + 1;
      }
    }
    levels[n] = topic.substring(start);
    return levels;
  }

  public static boolean matches(String filter, String topic) {
    return matches(levels(filter), levels(topic));
  }

  /** Whether the filter matches the topic name ({@code a/#} matches {@code a}, {@code +} matches an empty level). */
  public static boolean matches(String[] filter, String[] topic) {
    if (topic[0].startsWith("$") && isWildcard(filter[0])) {
      return false;
    }
    int i = 0;
    for (; i < filter.length; i++) {
      String level = filter[i];
      if (level.equals("#")) {
        return true;
      }
      if (i >= topic.length) {
        return false;
      }
      if (!level.equals("+") && !level.equals(topic[i])) {
        return false;
      }
    }
    return i == topic.length;
  }

  public static boolean covers(String outer, String inner) {
    return covers(levels(outer), levels(inner));
  }

  /**
   * Whether every topic name that {@code inner} can match is matched by {@code outer}. Level by level:
   * {@code #} in outer covers whatever follows, including nothing; {@code +} in outer covers any single
   * level of inner ({@code +} or a name) but not {@code #}; a name in outer covers only the same name.
   */
  public static boolean covers(String[] outer, String[] inner) {
    if (inner[0].startsWith("$") && isWildcard(outer[0])) {
      return false;
    }
    for (int i = 0; i < outer.length; i++) {
      String level = outer[i];
      if (level.equals("#")) {
        return true;
      }
      if (i >= inner.length) {
        return false; // outer needs more levels than some topics of inner have
      }
      String other = inner[i];
      if (other.equals("#")) {
        // inner matches any depth from here on, and its parent too. Only "#" does as well, handled above,
        // and "+/#" at the top, since every topic has a first level.
        return i == 0 && level.equals("+") && outer.length == 2 && outer[1].equals("#");
      }
      if (!level.equals("+") && !level.equals(other)) {
        return false; // a name covers only itself, never a '+'
      }
    }
    // inner may only be as deep as outer; "a/#" would also match "a/b/c", "a" alone is fine.
    return inner.length == outer.length;
  }

  /** Whether the topic level is a wildcard ({@code +} or {@code #}). */
  public static boolean isWildcard(String level) {
    return level.equals("+") || level.equals("#");
  }
}
