package io.flotilla.gateway.mqtt.protocol;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many clients of each tenant are connected, against {@code BrokerConfig#maxConnectionsPerTenant}.
 * A connection takes a slot once authenticated and gives it back when its channel closes, whichever way
 * it closes. Tenants with no connection have no entry.
 */
final class TenantConnections {

  private final int limit;
  private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

  TenantConnections(int limit) {
    this.limit = limit;
  }

  /**
   * Takes a slot for {@code tenant}; false when it is full. A take-over always gets one: the connection
   * it replaces gives its slot back when it closes a moment later.
   */
  boolean tryAcquire(String tenant, boolean takeOver) {
    if (limit == 0) {
      return true;
    }
    boolean[] acquired = new boolean[1];
    counts.compute(tenant, (t, n) -> {
      int count = n == null ? 0 : n;
      acquired[0] = takeOver || count < limit;
      return acquired[0] ? count + 1 : n;
    });
    return acquired[0];
  }

  void release(String tenant) {
    if (limit == 0) {
      return;
    }
    counts.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
  }

  int count(String tenant) {
    return counts.getOrDefault(tenant, 0);
  }

  int limit() {
    return limit;
  }
}
