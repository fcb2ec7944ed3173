package io.flotilla.core.store;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.TenantMessage;
import java.util.List;

/** The broker's retained messages: at most one per topic in each tenant's topic space. */
public interface RetainedMessageRepository {
  /** Stores the message as its topic's retained message, replacing any earlier one. */
  void put(String tenant, BrokerMessage message);

  /** Removes the topic's retained message; false when there was none. */
  boolean remove(String tenant, String topic);

  /** Every retained message of every tenant, for the broker to load at start. */
  List<TenantMessage> loadAll();
}
