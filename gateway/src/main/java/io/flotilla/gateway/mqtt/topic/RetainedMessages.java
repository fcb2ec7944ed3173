package io.flotilla.gateway.mqtt.topic;

import io.flotilla.core.broker.BrokerMessage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The retained messages of one tenant, at most one per topic, in a tree of topic levels so that a new
 * subscription finds the retained messages its filter matches without scanning them all. Reads are
 * lock-free; changes are serialized by one lock, which also prunes empty branches.
 */
public final class RetainedMessages {

  private final Node root = new Node();
  private final Object writeLock = new Object();
  private final AtomicInteger count = new AtomicInteger();

  /** Stores {@code message} as the retained message of its topic, replacing an earlier one. */
  public void put(BrokerMessage message) {
    synchronized (writeLock) {
      Node node = root;
      for (String level : Topics.levels(message.topic())) {
        node = node.childForWrite(level);
      }
      if (node.message == null) {
        count.incrementAndGet();
      }
      node.message = message;
    }
  }

  /** Removes the topic's retained message; false when there was none. */
  public boolean remove(String topic) {
    synchronized (writeLock) {
      String[] levels = Topics.levels(topic);
      Node[] path = new Node[levels.length + 1];
      path[0] = root;
      for (int i = 0; i < levels.length; i++) {
        Map<String, Node> children = path[i].children;
        path[i + 1] = children == null ? null : children.get(levels[i]);
        if (path[i + 1] == null) {
          return false;
        }
      }
      boolean removed = path[levels.length].message != null;
      path[levels.length].message = null;
      if (removed) {
        count.decrementAndGet();
      }
      for (int i = levels.length; i > 0 && path[i].isEmpty(); i--) {
        path[i - 1].children.remove(levels[i - 1]);
      }
      return removed;
    }
  }

  /** How many topics hold a retained message. */
  public int size() {
    return count.get();
  }

  /**
   * Hands every retained message whose topic matches {@code filter} (a filter without share prefix) to
   * {@code sink}. Wildcards at the first level skip topics beginning with {@code $}.
   */
  public void match(String filter, Consumer<BrokerMessage> sink) {
    collect(root, Topics.levels(filter), 0, sink);
  }

  private static void collect(Node node, String[] levels, int depth, Consumer<BrokerMessage> sink) {
    if (depth == levels.length) {
      BrokerMessage m = node.message;
      if (m != null) {
        sink.accept(m);
      }
      return;
    }
    String level = levels[depth];
    Map<String, Node> children = node.children;
    if (level.equals("#")) {
      // "a/#" also matches "a" itself (MQTT-4.7.1-2); the root holds no message.
      BrokerMessage m = node.message;
      if (m != null) {
        sink.accept(m);
      }
      if (children != null) {
        children.forEach((name, child) -> {
          if (depth > 0 || !name.startsWith("$")) {
            everything(child, sink);
          }
        });
      }
      return;
    }
    if (children == null) {
      return;
    }
    if (level.equals("+")) {
      children.forEach((name, child) -> {
        if (depth > 0 || !name.startsWith("$")) {
          collect(child, levels, depth + 1, sink);
        }
      });
      return;
    }
    Node child = children.get(level);
    if (child != null) {
      collect(child, levels, depth + 1, sink);
    }
  }

  private static void everything(Node node, Consumer<BrokerMessage> sink) {
    BrokerMessage m = node.message;
    if (m != null) {
      sink.accept(m);
    }
    Map<String, Node> children = node.children;
    if (children != null) {
      children.values().forEach(child -> everything(child, sink));
    }
  }

  private static final class Node {
    volatile ConcurrentHashMap<String, Node> children;
    volatile BrokerMessage message;

    Node childForWrite(String level) {
      if (children == null) {
        children = new ConcurrentHashMap<>(2);
      }
      return children.computeIfAbsent(level, l -> new Node());
    }

    boolean isEmpty() {
      return message == null && (children == null || children.isEmpty());
    }
  }
}
