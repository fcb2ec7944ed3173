package io.flotilla.store.sql;

import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.device.RetentionPolicy;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.ProfileRepository;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class SqlProfileRepository implements ProfileRepository {
  private static final String COLUMNS = "tenant_id, id, name, description, telemetry_schema, default_twin, "
      + "classification, retention_raw_days, retention_minute_days, retention_hour_days, created_at, updated_at, "
      + "version";

  private final JdbcSession sql;

  SqlProfileRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public void insert(DeviceProfile profile) {
    Optional<RetentionPolicy> retention = profile.retention();
    int inserted = sql.update("INSERT INTO device_profiles (" + COLUMNS + ") "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        profile.tenant().value(), profile.id(), profile.name(), profile.description(),
        profile.telemetrySchema().map(JsonColumns::write).orElse(null), JsonColumns.write(profile.defaultTwin()),
        JsonColumns.classification(profile.classification()), retention.map(RetentionPolicy::rawDays).orElse(null),
        retention.map(RetentionPolicy::minuteDays).orElse(null), retention.map(RetentionPolicy::hourDays).orElse(null),
        Millis.of(profile.createdAt()), Millis.of(profile.updatedAt()), profile.version());
    if (inserted == 0) {
      throw new DuplicateKeyException("profile '" + profile.id() + "' exists already in tenant '"
          + profile.tenant() + "'", null);
    }
  }

  @Override
  public Optional<DeviceProfile> find(TenantId tenant, String id) {
    return sql.one("SELECT " + COLUMNS + " FROM device_profiles WHERE tenant_id = ? AND id = ?",
        SqlProfileRepository::map, tenant.value(), id);
  }

  @Override
  public List<DeviceProfile> list(TenantId tenant) {
    return sql.list("SELECT " + COLUMNS + " FROM device_profiles WHERE tenant_id = ? ORDER BY id",
        SqlProfileRepository::map, tenant.value());
  }

  @Override
  public boolean update(DeviceProfile profile, long expectedVersion) {
    Optional<RetentionPolicy> retention = profile.retention();
    return sql.update("UPDATE device_profiles SET name = ?, description = ?, telemetry_schema = ?, default_twin = ?, "
            + "classification = ?, retention_raw_days = ?, retention_minute_days = ?, retention_hour_days = ?, "
            + "created_at = ?, updated_at = ?, version = ? WHERE tenant_id = ? AND id = ? AND version = ?",
        profile.name(), profile.description(), profile.telemetrySchema().map(JsonColumns::write).orElse(null),
        JsonColumns.write(profile.defaultTwin()), JsonColumns.classification(profile.classification()),
        retention.map(RetentionPolicy::rawDays).orElse(null), retention.map(RetentionPolicy::minuteDays).orElse(null),
        retention.map(RetentionPolicy::hourDays).orElse(null), Millis.of(profile.createdAt()),
        Millis.of(profile.updatedAt()), profile.version(),
        profile.tenant().value(), profile.id(), expectedVersion) == 1;
  }

  @Override
  public boolean delete(TenantId tenant, String id) {
    return sql.update("DELETE FROM device_profiles WHERE tenant_id = ? AND id = ?", tenant.value(), id) == 1;
  }

  private static DeviceProfile map(ResultSet row) throws SQLException {
    String schema = row.getString("telemetry_schema");
    return new DeviceProfile(new TenantId(row.getString("tenant_id")), row.getString("id"), row.getString("name"),
        row.getString("description"),
        Optional.ofNullable(schema).map(s -> JsonColumns.readObject("device_profiles.telemetry_schema", s)),
        JsonColumns.readObject("device_profiles.default_twin", row.getString("default_twin")),
        JsonColumns.classification(row.getString("classification")), retention(row),
        Millis.read(row, "created_at"), Millis.read(row, "updated_at"), row.getLong("version"));
  }

  /** NULL days mean the profile follows the default retention (and is how rows from before V6 read). */
  private static Optional<RetentionPolicy> retention(ResultSet row) throws SQLException {
    long rawDays = row.getLong("retention_raw_days");
    if (row.wasNull()) {
      return Optional.empty();
    }
    return Optional.of(new RetentionPolicy(rawDays, row.getLong("retention_minute_days"),
        row.getLong("retention_hour_days")));
  }
}
