package io.flotilla.core.broker;

import java.util.List;
import java.util.Objects;

/**
 * What survives of a persistent MQTT session while its client is away and across restarts.
 *
 * @param expiryIntervalSeconds MQTT 5 session expiry interval; {@code 0xFFFFFFFF} never expires
 *     (the 3.1.1 "clean session = false" behaviour)
 * @param disconnectedAtMillis epoch millis when the client went away, 0 while it is connected
 */
public record SessionState(String tenant, String clientId, long expiryIntervalSeconds, long disconnectedAtMillis,
    List<SubscriptionState> subscriptions) {
  public SessionState {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(clientId, "clientId");
    subscriptions = List.copyOf(subscriptions);
  }
}
