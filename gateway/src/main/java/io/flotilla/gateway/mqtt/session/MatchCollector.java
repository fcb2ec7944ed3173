package io.flotilla.gateway.mqtt.session;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.SubscriptionState;
import io.flotilla.gateway.mqtt.topic.MatchSink;
import io.flotilla.gateway.mqtt.topic.SharedGroup;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Gathers the subscriptions one message matches and turns them into one delivery per session: a session
 * matched by several of its subscriptions gets the message once, at the highest QoS, with every
 * matching subscription identifier (MQTT 5 section 3.3.4). Reused per thread to keep the publish path
 * from allocating; not thread-safe.
 */
final class MatchCollector implements MatchSink<Session> {

  private static final Predicate<Session> ONLINE = Session::isOnline;
  /** Up to this many matches, duplicates are found by comparing pairs; beyond it, with a map. */
  private static final int PAIRWISE_LIMIT = 16;

  private Session[] sessions = new Session[8];
  private SubscriptionState[] subs = new SubscriptionState[8];
  private int count;
  @SuppressWarnings({"unchecked", "rawtypes"})
  private SharedGroup<Session>[] groups = new SharedGroup[2];
  private int groupCount;
  private String origin;
  private Throttle publisher;
  private Consumer<String> acknowledged = Delivery.NO_ACK;
  boolean busy;

  void start(String originClientId, Throttle publishingConnection, Consumer<String> onAcknowledged) {
    origin = originClientId;
    publisher = publishingConnection;
    acknowledged = onAcknowledged;
    busy = true;
  }

  @Override
  public void subscriber(Session subscriber, SubscriptionState subscription) {
    if (subscription.noLocal() && subscriber.clientId().equals(origin)) {
      return; // MQTT-3.8.3-3: not back to the connection that published it
    }
    if (count == sessions.length) {
      sessions = Arrays.copyOf(sessions, count * 2);
      subs = Arrays.copyOf(subs, count * 2);
    }
    sessions[count] = subscriber;
    subs[count++] = subscription;
  }

  @Override
  public void shared(SharedGroup<Session> group) {
    if (groupCount == groups.length) {
      groups = Arrays.copyOf(groups, groupCount * 2);
    }
    groups[groupCount++] = group;
  }

  /** Delivers to every collected session and share group; returns how many deliveries were made. */
  int deliver(BrokerMessage message) {
    try {
      int deliveries = count <= PAIRWISE_LIMIT ? deliverPairwise(message) : deliverWithMap(message);
      for (int g = 0; g < groupCount; g++) {
        SharedGroup.Member<Session> member = groups[g].pick(ONLINE);
        if (member != null) {
          Merged m = new Merged(member.subscription());
          member.subscriber().deliver(m.delivery(message, acknowledged), publisher);
          deliveries++;
        }
      }
      return deliveries;
    } finally {
      Arrays.fill(sessions, 0, count, null);
      Arrays.fill(subs, 0, count, null);
      Arrays.fill(groups, 0, groupCount, null);
      count = 0;
      groupCount = 0;
      origin = null;
      publisher = null;
      acknowledged = Delivery.NO_ACK;
      busy = false;
    }
  }

  private int deliverPairwise(BrokerMessage message) {
    int deliveries = 0;
    for (int i = 0; i < count; i++) {
      Session s = sessions[i];
      if (s == null) {
        continue;
      }
      Merged m = new Merged(subs[i]);
      for (int j = i + 1; j < count; j++) {
        if (sessions[j] == s) {
          m.add(subs[j]);
          sessions[j] = null;
        }
      }
      s.deliver(m.delivery(message, acknowledged), publisher);
      deliveries++;
    }
    return deliveries;
  }

  private int deliverWithMap(BrokerMessage message) {
    IdentityHashMap<Session, Merged> bySession = new IdentityHashMap<>(count * 2);
    for (int i = 0; i < count; i++) {
      Merged m = bySession.get(sessions[i]);
      if (m == null) {
        bySession.put(sessions[i], new Merged(subs[i]));
      } else {
        m.add(subs[i]);
      }
    }
    bySession.forEach((s, m) -> s.deliver(m.delivery(message, acknowledged), publisher));
    return bySession.size();
  }

  /** The options of every subscription of one session that matched. */
  private static final class Merged {
    int qos;
    boolean retainAsPublished;
    int[] ids;

    Merged(SubscriptionState sub) {
      qos = sub.qos();
      retainAsPublished = sub.retainAsPublished();
      ids = sub.subscriptionIdentifier().isPresent() ? new int[] {sub.subscriptionIdentifier().get()}
          : Delivery.NO_IDS;
    }

    void add(SubscriptionState sub) {
      qos = Math.max(qos, sub.qos());
      retainAsPublished |= sub.retainAsPublished();
      if (sub.subscriptionIdentifier().isPresent()) {
        ids = Arrays.copyOf(ids, ids.length + 1);
        ids[ids.length - 1] = sub.subscriptionIdentifier().get();
      }
    }

    Delivery delivery(BrokerMessage message, Consumer<String> acknowledged) {
      return new Delivery(message, Math.min(qos, message.qos()), retainAsPublished && message.retain(), ids,
          acknowledged);
    }
  }
}
