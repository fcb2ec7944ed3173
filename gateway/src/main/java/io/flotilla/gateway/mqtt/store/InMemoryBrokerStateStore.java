package io.flotilla.gateway.mqtt.store;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.SessionState;
import io.flotilla.core.broker.TenantMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the broker's state in memory for as long as this object lives: a broker restarted on the same
 * instance finds its retained messages and sessions again, a new process does not. The default for
 * tests and for brokers that need no durability.
 */
public final class InMemoryBrokerStateStore implements BrokerStateStore {

  private record Key(String tenant, String id) {
  }

  private final Map<Key, BrokerMessage> retained = new ConcurrentHashMap<>();
  private final Map<Key, SessionState> sessions = new ConcurrentHashMap<>();
  private final Map<Key, List<BrokerMessage>> queues = new ConcurrentHashMap<>();

  @Override
  public List<TenantMessage> loadRetained() {
    List<TenantMessage> all = new ArrayList<>();
    retained.forEach((key, message) -> all.add(new TenantMessage(key.tenant(), message)));
    return all;
  }

  @Override
  public void putRetained(String tenant, BrokerMessage message) {
    retained.put(new Key(tenant, message.topic()), message);
  }

  @Override
  public void removeRetained(String tenant, String topic) {
    retained.remove(new Key(tenant, topic));
  }

  @Override
  public List<SessionState> loadSessions() {
    return List.copyOf(sessions.values());
  }

  @Override
  public void saveSession(SessionState session) {
    sessions.put(new Key(session.tenant(), session.clientId()), session);
  }

  @Override
  public void deleteSession(String tenant, String clientId) {
    Key key = new Key(tenant, clientId);
    sessions.remove(key);
    queues.remove(key);
  }

  @Override
  public boolean enqueue(String tenant, String clientId, BrokerMessage message, int maxQueued) {
    List<BrokerMessage> queue = queues.computeIfAbsent(new Key(tenant, clientId), k -> new ArrayList<>());
    synchronized (queue) {
      if (queue.size() >= maxQueued) {
        return false;
      }
      queue.add(message);
      return true;
    }
  }

  @Override
  public void clearQueue(String tenant, String clientId) {
    queues.remove(new Key(tenant, clientId));
  }

  @Override
  public List<BrokerMessage> queued(String tenant, String clientId) {
    List<BrokerMessage> queue = queues.get(new Key(tenant, clientId));
    if (queue == null) {
      return List.of();
    }
    synchronized (queue) {
      return List.copyOf(queue);
    }
  }
}
