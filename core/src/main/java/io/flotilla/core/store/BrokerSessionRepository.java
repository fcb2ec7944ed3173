package io.flotilla.core.store;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.SessionState;
import java.util.List;
import java.util.Optional;

/** Persistent MQTT sessions and the messages queued for them while their clients are offline. */
public interface BrokerSessionRepository {
  /** Inserts or replaces the session's state (its queue is left as it is). */
  void save(SessionState session);

  Optional<SessionState> find(String tenant, String clientId);

  /** Deletes the session and its queued messages; false when there was none. */
  boolean delete(String tenant, String clientId);

  /** Every stored session, for the broker to load at start. */
  List<SessionState> loadAll();

  /**
   * Appends a message to the session's queue unless the queue already holds {@code maxQueued}
   * messages; returns false when the message was not queued because the queue is full. The
   * session must have been saved first.
   */
  boolean enqueue(String tenant, String clientId, BrokerMessage message, int maxQueued);

  /** Removes and returns the session's queued messages in the order they were queued. */
  List<BrokerMessage> drain(String tenant, String clientId);

  /** How many messages wait in the session's queue. */
  int queued(String tenant, String clientId);
}
