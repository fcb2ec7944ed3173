package io.flotilla.gateway.mqtt.topic;

import io.flotilla.core.broker.SubscriptionState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscriptions of one tenant as a tree of topic levels, so that finding the subscribers of a topic
 * costs the depth of the topic, not the number of subscriptions. Lookups run concurrently without locks
 * (concurrent maps at each node); changes are serialized by one lock per tree, which also makes pruning
 * empty nodes safe.
 *
 * @param <S> the subscriber type (a session); compared by identity
 */
public final class TopicTree<S> {

  private final Node<S> root = new Node<>();
  private final Object writeLock = new Object();

  /** Adds or replaces {@code subscriber}'s subscription to the filter. */
  public void subscribe(TopicFilter filter, S subscriber, SubscriptionState subscription) {
    synchronized (writeLock) {
      Node<S> node = root;
      for (String level : Topics.levels(filter.filter())) {
        node = node.childForWrite(level);
      }
      if (filter.shareGroup().isPresent()) {
        node.sharedForWrite().computeIfAbsent(filter.shareGroup().get(), SharedGroup::new).put(subscriber, subscription);
      } else {
        node.subscribersForWrite().put(subscriber, subscription);
      }
    }
  }

  /** Removes {@code subscriber}'s subscription to the filter; false when it had none. */
  public boolean unsubscribe(TopicFilter filter, S subscriber) {
    synchronized (writeLock) {
      String[] levels = Topics.levels(filter.filter());
      @SuppressWarnings({"unchecked", "rawtypes"})
      Node<S>[] path = new Node[levels.length + 1];
      path[0] = root;
      for (int i = 0; i < levels.length; i++) {
        Map<String, Node<S>> children = path[i].children;
        path[i + 1] = children == null ? null : children.get(levels[i]);
        if (path[i + 1] == null) {
          return false;
        }
      }
      Node<S> node = path[levels.length];
      boolean removed;
      if (filter.shareGroup().isPresent()) {
        Map<String, SharedGroup<S>> groups = node.shared;
        SharedGroup<S> group = groups == null ? null : groups.get(filter.shareGroup().get());
        removed = group != null && group.remove(subscriber);
        if (group != null && group.isEmpty()) {
          groups.remove(group.name());
        }
      } else {
        removed = node.subscribers != null && node.subscribers.remove(subscriber) != null;
      }
      for (int i = levels.length; i > 0 && path[i].isEmpty(); i--) {
        path[i - 1].children.remove(levels[i - 1]);
      }
      return removed;
    }
  }

  /**
   * Reports every subscription whose filter matches {@code topic}. Wildcards at the first level do not
   * match topics beginning with {@code $} (MQTT-4.7.2-1).
   */
  public void match(String topic, MatchSink<S> sink) {
    String[] levels = Topics.levels(topic);
    match(root, levels, 0, !topic.isEmpty() && topic.charAt(0) == '$', sink);
  }

  private static <S> void match(Node<S> node, String[] levels, int depth, boolean dollar, MatchSink<S> sink) {
    Map<String, Node<S>> children = node.children;
    boolean wildcardsAllowed = depth > 0 || !dollar;
    if (children != null && wildcardsAllowed) {
      Node<S> hash = children.get("#");
      if (hash != null) {
        hash.report(sink);
      }
    }
    if (depth == levels.length) {
      node.report(sink);
      return;
    }
    if (children == null) {
      return;
    }
    if (wildcardsAllowed) {
      Node<S> plus = children.get("+");
      if (plus != null) {
        match(plus, levels, depth + 1, dollar, sink);
      }
    }
    Node<S> exact = children.get(levels[depth]);
    if (exact != null) {
      match(exact, levels, depth + 1, dollar, sink);
    }
  }

  /** True when the tree holds no subscription at all. */
  public boolean isEmpty() {
    return root.isEmpty();
  }

  private static final class Node<S> {
    // Created on first use: most nodes are leaves with one subscriber and no shared groups.
    volatile ConcurrentHashMap<String, Node<S>> children;
    volatile ConcurrentHashMap<S, SubscriptionState> subscribers;
    volatile ConcurrentHashMap<String, SharedGroup<S>> shared;

    Node<S> childForWrite(String level) {
      if (children == null) {
        children = new ConcurrentHashMap<>(2);
      }
      return children.computeIfAbsent(level, l -> new Node<>());
    }

    ConcurrentHashMap<S, SubscriptionState> subscribersForWrite() {
      if (subscribers == null) {
        subscribers = new ConcurrentHashMap<>(2);
      }
      return subscribers;
    }

    ConcurrentHashMap<String, SharedGroup<S>> sharedForWrite() {
      if (shared == null) {
        shared = new ConcurrentHashMap<>(2);
      }
      return shared;
    }

    void report(MatchSink<S> sink) {
      ConcurrentHashMap<S, SubscriptionState> subs = subscribers;
      if (subs != null) {
        subs.forEach(sink::subscriber);
      }
      ConcurrentHashMap<String, SharedGroup<S>> groups = shared;
      if (groups != null) {
        for (SharedGroup<S> group : groups.values()) {
          sink.shared(group);
        }
      }
    }

    boolean isEmpty() {
      return (children == null || children.isEmpty()) && (subscribers == null || subscribers.isEmpty())
          && (shared == null || shared.isEmpty());
    }
  }
}
