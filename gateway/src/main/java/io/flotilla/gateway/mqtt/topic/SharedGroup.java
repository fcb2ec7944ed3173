package io.flotilla.gateway.mqtt.topic;

import io.flotilla.core.broker.SubscriptionState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The members of one shared subscription ({@code $share/{group}/{filter}}); each matching message goes
 * to one member, chosen round-robin among the members that are online. Membership changes rarely, so a
 * copy-on-write list keeps the per-message path free of locks.
 *
 * @param <S> the subscriber type
 */
public final class SharedGroup<S> {

  /** One member and the options it subscribed with. */
  public record Member<S>(S subscriber, SubscriptionState subscription) {
  }

  private final String name;
  private final CopyOnWriteArrayList<Member<S>> members = new CopyOnWriteArrayList<>();
  private final AtomicInteger next = new AtomicInteger();

  SharedGroup(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  void put(S subscriber, SubscriptionState subscription) {
    remove(subscriber);
    members.add(new Member<>(subscriber, subscription));
  }

  boolean remove(S subscriber) {
    return members.removeIf(m -> m.subscriber() == subscriber);
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  /**
   * The next member in round-robin order that satisfies {@code preferred} (typically: is online), else
   * the next member at all (whose session may queue the message); null when the group is empty.
   */
  public Member<S> pick(Predicate<S> preferred) {
    List<Member<S>> snapshot = members;
    int size = snapshot.size();
    if (size == 0) {
      return null;
    }
    int start = Math.floorMod(next.getAndIncrement(), size);
    for (int i = 0; i < size; i++) {
      Member<S> candidate = snapshot.get((start + i) % size);
      if (preferred.test(candidate.subscriber())) {
        return candidate;
      }
    }
    return snapshot.get(start);
  }
}
