package io.flotilla.store.sql;

import io.flotilla.core.json.Json;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.TwinRepository;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.core.twin.Twin;
import io.flotilla.core.twin.TwinChange;
import io.flotilla.core.twin.TwinCondition;
import io.flotilla.core.twin.TwinLeaf;
import io.flotilla.core.twin.TwinMatch;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class SqlTwinRepository implements TwinRepository {
  private static final String COLUMNS =
      "tenant_id, device_id, name, version, desired, reported, metadata, created_at, updated_at";

  private final JdbcSession sql;

  SqlTwinRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public Optional<Twin> find(TenantId tenant, String device, String name) {
    return sql.one("SELECT " + COLUMNS + " FROM device_twins WHERE tenant_id = ? AND device_id = ? AND name = ?",
        SqlTwinRepository::map, tenant.value(), device, name);
  }

  @Override
  public Optional<Twin> lock(TenantId tenant, String device, String name) {
    return sql.one("SELECT " + COLUMNS + " FROM device_twins WHERE tenant_id = ? AND device_id = ? AND name = ?"
        + sql.dialect().forUpdate(), SqlTwinRepository::map, tenant.value(), device, name);
  }

  @Override
  public List<Twin> list(TenantId tenant, String device) {
    return sql.list("SELECT " + COLUMNS + " FROM device_twins WHERE tenant_id = ? AND device_id = ? ORDER BY name",
        SqlTwinRepository::map, tenant.value(), device);
  }

  @Override
  public void insert(Twin twin) {
    int inserted = sql.update("INSERT INTO device_twins (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING", twin.tenant().value(), twin.device(), twin.name(), twin.version(),
        Json.write(twin.desired()), Json.write(twin.reported()), Json.write(twin.metadata()),
        Millis.of(twin.createdAt()), Millis.of(twin.updatedAt()));
    if (inserted == 0) {
      throw new DuplicateKeyException("twin '" + twin.name() + "' of device '" + twin.device() + "' exists already",
          null);
    }
  }

  @Override
  public boolean update(Twin twin, long expectedVersion) {
    return sql.update("UPDATE device_twins SET version = ?, desired = ?, reported = ?, metadata = ?, updated_at = ? "
            + "WHERE tenant_id = ? AND device_id = ? AND name = ? AND version = ?", twin.version(),
        Json.write(twin.desired()), Json.write(twin.reported()), Json.write(twin.metadata()),
        Millis.of(twin.updatedAt()), twin.tenant().value(), twin.device(), twin.name(), expectedVersion) == 1;
  }

  @Override
  public void replaceLeaves(TenantId tenant, String device, String name, List<TwinLeaf> leaves) {
    sql.update("DELETE FROM twin_leaves WHERE tenant_id = ? AND device_id = ? AND name = ?", tenant.value(), device,
        name);
    List<Object[]> rows = new ArrayList<>(leaves.size());
    for (TwinLeaf leaf : leaves) {
      boolean text = leaf.kind() == TwinLeaf.Kind.STRING;
      rows.add(new Object[] {tenant.value(), name, leaf.path(), device, leaf.kind().code(),
          text ? leaf.text() : null, text ? null : leaf.number()});
    }
    // ON CONFLICT: two keys whose dotted paths coincide ({"a.b":1} and {"a":{"b":2}}) keep the first.
    sql.batch("INSERT INTO twin_leaves (tenant_id, name, path, device_id, kind, text_value, num_value) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", rows);
  }

  @Override
  public void appendHistory(TwinChange change, int kept) {
    sql.update("INSERT INTO twin_history (tenant_id, device_id, name, version, section, patch, actor, at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", change.tenant().value(), change.device(), change.name(),
        change.version(), change.section().wireName(), Json.write(change.patch()), change.actor(),
        Millis.of(change.at()));
    sql.update("DELETE FROM twin_history WHERE tenant_id = ? AND device_id = ? AND name = ? AND version <= ?",
        change.tenant().value(), change.device(), change.name(), change.version() - kept);
  }

  @Override
  public List<TwinChange> history(TenantId tenant, String device, String name, Optional<Long> beforeVersion,
      int limit) {
    return sql.list("SELECT tenant_id, device_id, name, version, section, patch, actor, at FROM twin_history "
            + "WHERE tenant_id = ? AND device_id = ? AND name = ? AND version < ? ORDER BY version DESC LIMIT ?",
        row -> new TwinChange(new TenantId(row.getString("tenant_id")), row.getString("device_id"),
            row.getString("name"), row.getLong("version"), Twin.Section.fromWire(row.getString("section")),
            Json.readTrusted(row.getString("patch")), row.getString("actor"), Millis.read(row, "at")),
        tenant.value(), device, name, beforeVersion.orElse(Long.MAX_VALUE), limit);
  }

  @Override
  public List<TwinMatch> query(TenantId tenant, String name, List<TwinCondition> conditions,
      Optional<String> afterDevice, int limit) {
    if (conditions.isEmpty()) {
      throw new IllegalArgumentException("a twin query needs at least one condition");
    }
    List<Object> params = new ArrayList<>();
    StringBuilder query = new StringBuilder("SELECT t.device_id, t.name, t.version FROM twin_leaves l0 "
        + "JOIN device_twins t ON t.tenant_id = l0.tenant_id AND t.device_id = l0.device_id AND t.name = l0.name "
        + "WHERE l0.tenant_id = ? AND l0.name = ? AND l0.path = ? AND ");
    params.add(tenant.value());
    params.add(name);
    params.add(conditions.get(0).path());
    query.append(comparison("l0", conditions.get(0), params));
    for (int i = 1; i < conditions.size(); i++) {
      String alias = "l" + i;
      query.append(" AND EXISTS (SELECT 1 FROM twin_leaves ").append(alias).append(" WHERE ").append(alias)
          .append(".tenant_id = l0.tenant_id AND ").append(alias).append(".name = l0.name AND ").append(alias)
          .append(".path = ? AND ").append(alias).append(".device_id = l0.device_id AND ");
      params.add(conditions.get(i).path());
      query.append(comparison(alias, conditions.get(i), params)).append(')');
    }
    if (afterDevice.isPresent()) {
      query.append(" AND l0.device_id > ?");
      params.add(afterDevice.get());
    }
    query.append(" ORDER BY l0.device_id LIMIT ?");
    params.add(limit);
    return sql.list(query.toString(), row -> new TwinMatch(row.getString("device_id"), row.getString("name"),
        row.getLong("version")), params.toArray());
  }

  /** The leaf's type must be the literal's, and its value compare as asked; != matches any other type too. */
  private static String comparison(String alias, TwinCondition condition, List<Object> params) {
    TwinLeaf value = condition.value();
    boolean text = value.kind() == TwinLeaf.Kind.STRING;
    String column = alias + (text ? ".text_value" : ".num_value");
    params.add(value.kind().code());
    params.add(text ? value.text() : (Object) value.number());
    if (condition.op() == TwinCondition.Op.NE) {
      return "NOT (" + alias + ".kind = ? AND " + column + " = ?)";
    }
    return "(" + alias + ".kind = ? AND " + column + " " + condition.op().sql() + " ?)";
  }

  @Override
  public int deleteAll(TenantId tenant, String device) {
    sql.update("DELETE FROM twin_leaves WHERE tenant_id = ? AND device_id = ?", tenant.value(), device);
    sql.update("DELETE FROM twin_history WHERE tenant_id = ? AND device_id = ?", tenant.value(), device);
    return sql.update("DELETE FROM device_twins WHERE tenant_id = ? AND device_id = ?", tenant.value(), device);
  }

  private static Twin map(ResultSet row) throws SQLException {
    return new Twin(new TenantId(row.getString("tenant_id")), row.getString("device_id"), row.getString("name"),
        row.getLong("version"), JsonColumns.readObject("device_twins.desired", row.getString("desired")),
        JsonColumns.readObject("device_twins.reported", row.getString("reported")),
        JsonColumns.readObject("device_twins.metadata", row.getString("metadata")), Millis.read(row, "created_at"),
        Millis.read(row, "updated_at"));
  }
}
