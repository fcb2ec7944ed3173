package io.flotilla.store.sql;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.SessionState;
import io.flotilla.core.store.BrokerSessionRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Sessions in {@code broker_sessions}, their queues in {@code broker_queue}. The session row
 * carries the queue's length and last sequence number; enqueue and drain change it first, which
 * locks it, so that concurrent transactions on one queue (on PostgreSQL) take turns and the bound holds.
 */
final class SqlBrokerSessionRepository implements BrokerSessionRepository {
  private static final String COLUMNS = "tenant_id, client_id, expiry_interval, disconnected_at, subscriptions";
  private static final String KEY = " WHERE tenant_id = ? AND client_hash = ?";

  private final JdbcSession sql;

  SqlBrokerSessionRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public void save(SessionState s) {
    sql.update("INSERT INTO broker_sessions (tenant_id, client_hash, client_id, expiry_interval, disconnected_at, "
            + "subscriptions) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, client_hash) DO UPDATE SET "
            + "client_id = excluded.client_id, expiry_interval = excluded.expiry_interval, "
            + "disconnected_at = excluded.disconnected_at, subscriptions = excluded.subscriptions",
        s.tenant(), BrokerRows.hash(s.clientId()), s.clientId(), s.expiryIntervalSeconds(), s.disconnectedAtMillis(),
        BrokerRows.subscriptions(s.subscriptions()));
  }

  @Override
  public Optional<SessionState> find(String tenant, String clientId) {
    return sql.one("SELECT " + COLUMNS + " FROM broker_sessions" + KEY, SqlBrokerSessionRepository::map, tenant,
        BrokerRows.hash(clientId));
  }

  @Override
  public boolean delete(String tenant, String clientId) {
    return sql.update("DELETE FROM broker_sessions" + KEY, tenant, BrokerRows.hash(clientId)) == 1;
  }

  @Override
  public List<SessionState> loadAll() {
    return sql.list("SELECT " + COLUMNS + " FROM broker_sessions ORDER BY tenant_id, client_hash",
        SqlBrokerSessionRepository::map);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException when no session is stored for the client: save it first
   */
  @Override
  public boolean enqueue(String tenant, String clientId, BrokerMessage message, int maxQueued) {
    String client = BrokerRows.hash(clientId);
    Optional<Long> seq = sql.one("UPDATE broker_sessions SET queued = queued + 1, last_seq = last_seq + 1" + KEY
        + " AND queued < ? RETURNING last_seq", row -> row.getLong(1), tenant, client, (long) maxQueued);
    if (seq.isEmpty()) {
      if (sql.count("SELECT COUNT(*) FROM broker_sessions" + KEY, tenant, client) == 0) {
        throw new IllegalStateException("No broker session is stored for client '" + clientId + "' of tenant '"
            + tenant + "': save the session before queuing messages for it.");
      }
      return false;
    }
    sql.update("INSERT INTO broker_queue (tenant_id, client_hash, seq, " + BrokerRows.MESSAGE_COLUMNS + ") "
        + "VALUES (?, ?, ?, " + BrokerRows.MESSAGE_PLACEHOLDERS + ")",
        BrokerRows.bind(new Object[] {tenant, client, seq.get()}, message));
    return true;
  }

  @Override
  public List<BrokerMessage> drain(String tenant, String clientId) {
    String client = BrokerRows.hash(clientId);
    if (sql.update("UPDATE broker_sessions SET queued = 0" + KEY, tenant, client) == 0) {
      return List.of();
    }
    List<BrokerMessage> messages = sql.list("SELECT " + BrokerRows.MESSAGE_COLUMNS + " FROM broker_queue" + KEY
        + " ORDER BY seq", row -> BrokerRows.message(row, "broker_queue"), tenant, client);
    sql.update("DELETE FROM broker_queue" + KEY, tenant, client);
    return messages;
  }

  @Override
  public int queued(String tenant, String clientId) {
    return (int) sql.count("SELECT queued FROM broker_sessions" + KEY, tenant, BrokerRows.hash(clientId));
  }

  private static SessionState map(ResultSet row) throws SQLException {
    return new SessionState(row.getString("tenant_id"), row.getString("client_id"), row.getLong("expiry_interval"),
        row.getLong("disconnected_at"), BrokerRows.subscriptions(row.getString("subscriptions")));
  }
}
