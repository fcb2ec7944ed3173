package io.flotilla.gateway.mqtt.topic;

import io.flotilla.core.broker.SubscriptionState;

/** Receives what a topic matches in a {@link TopicTree}. */
public interface MatchSink<S> {

  /** An ordinary subscription of {@code subscriber} matches; a subscriber may be reported more than once. */
  void subscriber(S subscriber, SubscriptionState subscription);

  /** A shared subscription group matches; it gets the message once, for one of its members. */
  void shared(SharedGroup<S> group);
}
