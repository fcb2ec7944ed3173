package io.flotilla.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.command.Command;
import io.flotilla.core.command.CommandMode;
import io.flotilla.core.command.CommandStatus;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.CommandRepository;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.StoreException;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class SqlCommandRepository implements CommandRepository {
  private static final String COLUMNS = "tenant_id, id, device_id, name, payload, mode, status, timeout_seconds, "
      + "connect_timeout_seconds, created_at, expires_at, sent_at, delivered_at, completed_at, attempts, result, "
      + "message, group_id, created_by, updated_at, version";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM commands ";
  private static final String OPEN = "status IN ('queued', 'sent', 'delivered')";

  private final JdbcSession sql;

  SqlCommandRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public void insert(Command c) {
    int inserted = sql.update("INSERT INTO commands (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        c.tenant().value(), c.id(), c.deviceId(), c.name(), Json.write(c.payload()), c.mode().wireName(),
        c.status().wireName(), c.timeoutSeconds(), c.connectTimeoutSeconds(), Millis.of(c.createdAt()),
        Millis.of(c.expiresAt()), Millis.ofOptional(c.sentAt()), Millis.ofOptional(c.deliveredAt()),
        Millis.ofOptional(c.completedAt()), c.attempts(), c.result().map(Json::write).orElse(null),
        c.message().orElse(null), c.groupId().orElse(null), c.createdBy(), Millis.of(c.updatedAt()), c.version());
    if (inserted == 0) {
      throw new DuplicateKeyException("command '" + c.id() + "' exists already in tenant '" + c.tenant() + "'", null);
    }
  }

  @Override
  public Optional<Command> find(TenantId tenant, String id) {
    return sql.one(SELECT + "WHERE tenant_id = ? AND id = ?", SqlCommandRepository::map, tenant.value(), id);
  }

  @Override
  public List<Command> listForDevice(TenantId tenant, String deviceId, Optional<CommandStatus> status,
      Optional<Position> after, int limit) {
    StringBuilder where = new StringBuilder("WHERE tenant_id = ? AND device_id = ?");
    List<Object> params = new ArrayList<>(List.of(tenant.value(), deviceId));
    status.ifPresent(s -> {
      where.append(" AND status = ?");
      params.add(s.wireName());
    });
    after.ifPresent(p -> {
      where.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
      params.addAll(List.of(Millis.of(p.createdAt()), Millis.of(p.createdAt()), p.id()));
    });
    params.add(limit);
    return sql.list(SELECT + where + " ORDER BY created_at DESC, id DESC LIMIT ?", SqlCommandRepository::map,
        params.toArray());
  }

  @Override
  public boolean update(Command c, long expectedVersion) {
    return sql.update("UPDATE commands SET status = ?, sent_at = ?, delivered_at = ?, completed_at = ?, attempts = ?, "
            + "result = ?, message = ?, updated_at = ?, version = ? WHERE tenant_id = ? AND id = ? AND version = ?",
        c.status().wireName(), Millis.ofOptional(c.sentAt()), Millis.ofOptional(c.deliveredAt()),
        Millis.ofOptional(c.completedAt()), c.attempts(), c.result().map(Json::write).orElse(null),
        c.message().orElse(null), Millis.of(c.updatedAt()), c.version(), c.tenant().value(), c.id(),
        expectedVersion) == 1;
  }

  @Override
  public List<Command> undelivered(TenantId tenant, String deviceId, int limit) {
    return sql.list(SELECT + "WHERE tenant_id = ? AND device_id = ? AND status IN ('queued', 'sent') "
        + "ORDER BY created_at, id LIMIT ?", SqlCommandRepository::map, tenant.value(), deviceId, limit);
  }

  @Override
  public List<Command> queuedForOnlineDevices(int limit) {
    return sql.list("SELECT " + qualified("c") + " FROM commands c JOIN device_connections d "
        + "ON d.tenant_id = c.tenant_id AND d.device_id = c.device_id "
        + "WHERE c.status = 'queued' AND d.online = TRUE ORDER BY c.created_at, c.id LIMIT ?",
        SqlCommandRepository::map, limit);
  }

  @Override
  public List<Command> sentBefore(Instant sentBefore, int limit) {
    return sql.list(SELECT + "WHERE status = 'sent' AND sent_at <= ? ORDER BY sent_at, id LIMIT ?",
        SqlCommandRepository::map, Millis.of(sentBefore), limit);
  }

  @Override
  public List<Command> dueBy(Instant at, int limit) {
    return sql.list(SELECT + "WHERE " + OPEN + " AND expires_at <= ? ORDER BY expires_at, id LIMIT ?",
        SqlCommandRepository::map, Millis.of(at), limit);
  }

  @Override
  public List<Command> directAwaitingConnection(Instant at, int limit) {
    return sql.list(SELECT + "WHERE status = 'queued' AND mode = 'direct' "
        + "AND created_at + connect_timeout_seconds * 1000 <= ? ORDER BY created_at, id LIMIT ?",
        SqlCommandRepository::map, Millis.of(at), limit);
  }

  private static String qualified(String alias) {
    StringBuilder columns = new StringBuilder();
    for (String column : COLUMNS.split(", ")) {
      columns.append(columns.isEmpty() ? "" : ", ").append(alias).append('.').append(column);
    }
    return columns.toString();
  }

  private static Command map(ResultSet row) throws SQLException {
    return new Command(new TenantId(row.getString("tenant_id")), row.getString("id"), row.getString("device_id"),
        row.getString("name"), json(row.getString("payload")), mode(row.getString("mode")),
        status(row.getString("status")), row.getInt("timeout_seconds"), row.getInt("connect_timeout_seconds"),
        Millis.read(row, "created_at"), Millis.read(row, "expires_at"), Millis.readOptional(row, "sent_at"),
        Millis.readOptional(row, "delivered_at"), Millis.readOptional(row, "completed_at"), row.getInt("attempts"),
        Optional.ofNullable(row.getString("result")).map(SqlCommandRepository::json),
        Optional.ofNullable(row.getString("message")), Optional.ofNullable(row.getString("group_id")),
        row.getString("created_by"), Millis.read(row, "updated_at"), row.getLong("version"));
  }

  private static CommandMode mode(String text) {
    return CommandMode.fromWire(text).orElseThrow(() -> corrupt("mode", null));
  }

  private static CommandStatus status(String text) {
    return CommandStatus.fromWire(text).orElseThrow(() -> corrupt("status", null));
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw corrupt("payload or result", e);
    }
  }

  private static StoreException corrupt(String column, Exception cause) {
    return new StoreException("The registry database holds a value in commands." + column + " that Flotilla did "
        + "not write; the row was changed outside Flotilla", cause);
  }
}
