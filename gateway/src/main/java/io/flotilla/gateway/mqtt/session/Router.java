package io.flotilla.gateway.mqtt.session;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.SubscriptionState;
import io.flotilla.gateway.mqtt.BrokerMetrics;
import io.flotilla.gateway.mqtt.store.StateWriter;
import io.flotilla.gateway.mqtt.topic.TenantSpace;
import io.flotilla.gateway.mqtt.topic.TopicFilter;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Routes a published message within its tenant: updates the retained message of its topic and delivers
 * it to every matching session. Runs on the publisher's event loop; the only store writes on this path
 * are for retained messages (and, inside sessions, for offline queues).
 */
public final class Router {

  private static final FastThreadLocal<MatchCollector> COLLECTORS = new FastThreadLocal<>() {
    @Override
    protected MatchCollector initialValue() {
      return new MatchCollector();
    }
  };

  private final SessionRegistry sessions;
  private final StateWriter writer;
  private final BrokerMetrics metrics;

  public Router(SessionRegistry sessions, StateWriter writer, BrokerMetrics metrics) {
    this.sessions = sessions;
    this.writer = writer;
    this.metrics = metrics;
  }

  /**
   * Publishes {@code message} in {@code tenant}'s topic space; {@code originClientId} (nullable) is the
   * publishing client, for no-local subscriptions. Returns how many deliveries were made.
   */
  public int publish(String tenant, BrokerMessage message, String originClientId) {
    return publish(tenant, message, originClientId, null);
  }

  /** Publishes on behalf of a connection that slow subscribers may pause ({@code publisher}, nullable). */
  public int publish(String tenant, BrokerMessage message, String originClientId, Throttle publisher) {
    return publish(tenant, message, originClientId, publisher, Delivery.NO_ACK);
  }

  /**
   * Publishes on the platform's behalf, telling {@code acknowledged} the client id of each session whose client
   * acknowledges its copy (QoS 1 and 2 deliveries only).
   */
  public int publish(String tenant, BrokerMessage message, String originClientId, Throttle publisher,
      java.util.function.Consumer<String> acknowledged) {
    if (message.retain()) {
      retain(tenant, message);
    }
    TenantSpace<Session> space = sessions.existingSpace(tenant);
    if (space == null) {
      return 0;
    }
    MatchCollector collector = COLLECTORS.get();
    if (collector.busy) {
      collector = new MatchCollector(); // a delivery published again on this thread; rare
    }
    collector.start(originClientId, publisher, acknowledged);
    space.subscriptions().match(message.topic(), collector);
    return collector.deliver(message);
  }

  /**
   * A retained message replaces its topic's; an empty payload removes it (MQTT-3.3.1-10). Called on its own, it
   * keeps {@code message} without delivering it.
   */
  public void retain(String tenant, BrokerMessage message) {
    TenantSpace<Session> space = sessions.space(tenant);
    String topic = message.topic();
    if (message.payload().length == 0) {
      if (space.retained().remove(topic)) {
        writer.submit("remove retained message of " + tenant + "/" + topic, s -> s.removeRetained(tenant, topic));
      }
    } else {
      space.retained().put(message);
      writer.submit("retain message of " + tenant + "/" + topic, s -> s.putRetained(tenant, message));
    }
  }

  /** Loads a retained message at start. */
  public void restoreRetained(String tenant, BrokerMessage message) {
    if (!message.isExpiredAt(java.time.Instant.now())) {
      sessions.space(tenant).retained().put(message);
    }
  }

  /** Sends the retained messages matching a new subscription (not for shared subscriptions). */
  public void sendRetained(Session session, TopicFilter filter, SubscriptionState subscription) {
    TenantSpace<Session> space = sessions.existingSpace(session.key().tenant());
    if (space == null || filter.isShared()) {
      return;
    }
    int[] ids = subscription.subscriptionIdentifier().isPresent()
        ? new int[] {subscription.subscriptionIdentifier().get()} : Delivery.NO_IDS;
    long now = System.currentTimeMillis();
    space.retained().match(filter.filter(), m -> {
      Delivery d = new Delivery(m, Math.min(m.qos(), subscription.qos()), true, ids);
      if (Session.expired(d, now)) {
        metrics.dropped("expired");
      } else {
        session.deliver(d);
      }
    });
  }
}
