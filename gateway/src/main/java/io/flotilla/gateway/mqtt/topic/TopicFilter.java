package io.flotilla.gateway.mqtt.topic;

import java.util.Objects;
import java.util.Optional;

/**
 * A subscription's filter as the client sent it, split into the share group (for
 * {@code $share/{group}/{filter}}) and the filter that decides which topics match.
 *
 * @param raw the filter exactly as sent; the key of the subscription within its session
 * @param shareGroup the share name of a shared subscription
 * @param filter the filter matched against topic names
 */
public record TopicFilter(String raw, Optional<String> shareGroup, String filter) {

  private static final String SHARE_PREFIX = "$share/";

  public TopicFilter {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(shareGroup, "shareGroup");
    Objects.requireNonNull(filter, "filter");
  }

  /** Parses and validates a filter; empty when it is not a valid (shared) filter. */
  public static Optional<TopicFilter> parse(String raw) {
    if (raw.startsWith(SHARE_PREFIX)) {
      int slash = raw.indexOf('/', SHARE_PREFIX.length());
      if (slash < 0) {
        return Optional.empty();
      }
      String group = raw.substring(SHARE_PREFIX.length(), slash);
      String filter = raw.substring(slash + 1);
      if (group.isEmpty() || Topics.hasWildcard(group) || !Topics.isValidFilter(filter)) {
        return Optional.empty();
      }
      return Optional.of(new TopicFilter(raw, Optional.of(group), filter));
    }
    return Topics.isValidFilter(raw) ? Optional.of(new TopicFilter(raw, Optional.empty(), raw)) : Optional.empty();
  }

  public boolean isShared() {
    return shareGroup.isPresent();
  }
}
