package io.flotilla.gateway.mqtt.store;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.SessionState;
import io.flotilla.core.broker.TenantMessage;
import java.util.List;

/**
 * The broker's durable state. Calls may block (they reach a database): the broker makes them from one
 * background writer thread in the order the changes happened, never from a network event loop, and
 * only for changes that are not on the per-message path to online subscribers: retained changes,
 * session creation, subscription changes, disconnects, expiry, and messages queued for offline sessions.
 */
public interface BrokerStateStore {

  /** Every retained message of every tenant, loaded once at start. */
  List<TenantMessage> loadRetained();

  void putRetained(String tenant, BrokerMessage message);

  void removeRetained(String tenant, String topic);

  /** Every persistent session, loaded once at start. */
  List<SessionState> loadSessions();

  /** Inserts or replaces a session's state; its queue stays as it is. */
  void saveSession(SessionState session);

  /** Deletes a session and its queue. */
  void deleteSession(String tenant, String clientId);

  /** Appends to the session's queue unless it holds {@code maxQueued} messages already; false then. */
  boolean enqueue(String tenant, String clientId, BrokerMessage message, int maxQueued);

  /** Removes the session's queued messages (they are being delivered from memory). */
  void clearQueue(String tenant, String clientId);

  /** The session's queued messages in order, left in place; read once at start. */
  List<BrokerMessage> queued(String tenant, String clientId);
}
