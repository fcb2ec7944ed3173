package io.flotilla.core.broker;

import java.util.Objects;
import java.util.Optional;

/**
 * One subscription of a session, with its MQTT 5 options.
 *
 * @param topicFilter the filter as the client sent it, shared subscriptions included ({@code $share/g/a/#})
 * @param retainHandling 0 send retained on subscribe, 1 only if new, 2 never
 */
public record SubscriptionState(String topicFilter, int qos, boolean noLocal, boolean retainAsPublished,
    int retainHandling, Optional<Integer> subscriptionIdentifier) {
  public SubscriptionState {
    Objects.requireNonNull(topicFilter, "topicFilter");
    Objects.requireNonNull(subscriptionIdentifier, "subscriptionIdentifier");
  }
}
