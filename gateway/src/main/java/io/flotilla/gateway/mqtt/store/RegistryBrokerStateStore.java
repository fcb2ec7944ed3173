package io.flotilla.gateway.mqtt.store;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.SessionState;
import io.flotilla.core.broker.TenantMessage;
import io.flotilla.core.store.BrokerSessionRepository;
import io.flotilla.core.store.RegistryStore;
import java.util.List;

/** Keeps the broker's state in the registry (SQLite or PostgreSQL), one transaction per change. */
public final class RegistryBrokerStateStore implements BrokerStateStore {

  private final RegistryStore registry;

  public RegistryBrokerStateStore(RegistryStore registry) {
    this.registry = registry;
  }

  @Override
  public List<TenantMessage> loadRetained() {
    return registry.read(tx -> tx.retainedMessages().loadAll());
  }

  @Override
  public void putRetained(String tenant, BrokerMessage message) {
    registry.write(tx -> {
      tx.retainedMessages().put(tenant, message);
      return null;
    });
  }

  @Override
  public void removeRetained(String tenant, String topic) {
    registry.write(tx -> tx.retainedMessages().remove(tenant, topic));
  }

  @Override
  public List<SessionState> loadSessions() {
    return registry.read(tx -> tx.brokerSessions().loadAll());
  }

  @Override
  public void saveSession(SessionState session) {
    registry.write(tx -> {
      tx.brokerSessions().save(session);
      return null;
    });
  }

  @Override
  public void deleteSession(String tenant, String clientId) {
    registry.write(tx -> tx.brokerSessions().delete(tenant, clientId));
  }

  @Override
  public boolean enqueue(String tenant, String clientId, BrokerMessage message, int maxQueued) {
    return registry.write(tx -> tx.brokerSessions().enqueue(tenant, clientId, message, maxQueued));
  }

  @Override
  public void clearQueue(String tenant, String clientId) {
    registry.write(tx -> tx.brokerSessions().drain(tenant, clientId));
  }

  @Override
  public List<BrokerMessage> queued(String tenant, String clientId) {
    if (registry.read(tx -> tx.brokerSessions().queued(tenant, clientId)) == 0) {
      return List.of(); // most sessions have nothing queued: a read spares them a write transaction
    }
    // The repository only drains; putting the messages back in the same transaction reads them without
    // a window in which a crash would lose them.
    return registry.write(tx -> {
      BrokerSessionRepository sessions = tx.brokerSessions();
      List<BrokerMessage> messages = sessions.drain(tenant, clientId);
      for (BrokerMessage message : messages) {
        sessions.enqueue(tenant, clientId, message, Integer.MAX_VALUE);
      }
      return messages;
    });
  }
}
