package io.flotilla.store.sql;

import io.flotilla.core.device.DeviceConnection;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.store.ConnectionRepository;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class SqlConnectionRepository implements ConnectionRepository {
  private static final String COLUMNS = "tenant_id, device_id, online, connection_id, connected_since, last_seen, "
      + "disconnected_at, client_address, protocol, last_disconnect_reason";

  private final JdbcSession sql;

  SqlConnectionRepository(JdbcSession sql) {
    this.sql = sql;
  }

  // The last disconnect's time and reason are not in the SET list: they survive a reconnect.
  @Override
  public void upsertOnline(TenantId tenant, DeviceId device, String connectionId, Instant at, String clientAddress,
      String protocol) {
    sql.update("INSERT INTO device_connections (tenant_id, device_id, online, connection_id, connected_since, "
            + "last_seen, client_address, protocol) VALUES (?, ?, TRUE, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (tenant_id, device_id) DO UPDATE SET online = TRUE, "
            + "connection_id = excluded.connection_id, connected_since = excluded.connected_since, "
            + "last_seen = excluded.last_seen, client_address = excluded.client_address, protocol = excluded.protocol",
        tenant.value(), device.value(), connectionId, Millis.of(at), Millis.of(at), clientAddress, protocol);
  }

  @Override
  public boolean markOffline(TenantId tenant, DeviceId device, String connectionId, Instant at, String reason) {
    return sql.update("UPDATE device_connections SET online = FALSE, disconnected_at = ?, last_disconnect_reason = ? "
            + "WHERE tenant_id = ? AND device_id = ? AND connection_id = ? AND online = TRUE",
        Millis.of(at), reason, tenant.value(), device.value(), connectionId) == 1;
  }

  @Override
  public Optional<DeviceConnection> find(TenantId tenant, DeviceId device) {
    return sql.one("SELECT " + COLUMNS + " FROM device_connections WHERE tenant_id = ? AND device_id = ?",
        SqlConnectionRepository::map, tenant.value(), device.value());
  }

  // The comparison keeps a batch from moving a time backwards (a flush racing a reconnect).
  @Override
  public void updateLastSeen(List<LastSeen> times) {
    sql.batch("UPDATE device_connections SET last_seen = ? WHERE tenant_id = ? AND device_id = ? AND last_seen < ?",
        times.stream().map(t -> new Object[] {Millis.of(t.at()), t.tenant().value(), t.device().value(),
            Millis.of(t.at())}).toList());
  }

  @Override
  public List<DeviceConnection> markAllOffline(String reason, Instant at) {
    return sql.list("UPDATE device_connections SET online = FALSE, disconnected_at = ?, last_disconnect_reason = ? "
        + "WHERE online = TRUE RETURNING " + COLUMNS, SqlConnectionRepository::map, Millis.of(at), reason);
  }

  private static DeviceConnection map(ResultSet row) throws SQLException {
    return new DeviceConnection(new TenantId(row.getString("tenant_id")), new DeviceId(row.getString("device_id")),
        row.getBoolean("online"), Optional.of(row.getString("connection_id")),
        Optional.of(Millis.read(row, "connected_since")), Optional.of(Millis.read(row, "last_seen")),
        Millis.readOptional(row, "disconnected_at"), Optional.of(row.getString("client_address")),
        Optional.of(row.getString("protocol")), Optional.ofNullable(row.getString("last_disconnect_reason")));
  }
}
