package io.flotilla.store.sql;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.TenantMessage;
import io.flotilla.core.store.RetainedMessageRepository;
import java.util.List;

final class SqlRetainedMessageRepository implements RetainedMessageRepository {
  private static final String PUT = "INSERT INTO broker_retained (tenant_id, topic_hash, "
      + BrokerRows.MESSAGE_COLUMNS + ") VALUES (?, ?, " + BrokerRows.MESSAGE_PLACEHOLDERS + ") "
      + "ON CONFLICT (tenant_id, topic_hash) DO UPDATE SET topic = excluded.topic, payload = excluded.payload, "
      + "qos = excluded.qos, retain_flag = excluded.retain_flag, expires_at = excluded.expires_at, "
      + "content_type = excluded.content_type, response_topic = excluded.response_topic, "
      + "correlation_data = excluded.correlation_data, payload_utf8 = excluded.payload_utf8, "
      + "user_properties = excluded.user_properties, received_at = excluded.received_at";

  private final JdbcSession sql;

  SqlRetainedMessageRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public void put(String tenant, BrokerMessage message) {
    sql.update(PUT, BrokerRows.bind(new Object[] {tenant, BrokerRows.hash(message.topic())}, message));
  }

  @Override
  public boolean remove(String tenant, String topic) {
    return sql.update("DELETE FROM broker_retained WHERE tenant_id = ? AND topic_hash = ?", tenant,
        BrokerRows.hash(topic)) == 1;
  }

  @Override
  public List<TenantMessage> loadAll() {
    return sql.list("SELECT tenant_id, " + BrokerRows.MESSAGE_COLUMNS + " FROM broker_retained "
        + "ORDER BY tenant_id, topic_hash",
        row -> new TenantMessage(row.getString("tenant_id"), BrokerRows.message(row, "broker_retained")));
  }
}
