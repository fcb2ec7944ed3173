package io.flotilla.store.timeseries;

import io.flotilla.core.paging.Page;
import io.flotilla.core.telemetry.RejectedTelemetry;
import io.flotilla.core.tenant.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The dead-letter rows: ids from a sequence, newest first, at most a fixed number per tenant. */
final class Rejections {
  private static final String TAG = "rej1";
  private static final String COLUMNS =
      "id, tenant, device_id, profile_id, transport, received_us, reason, payload, payload_bytes";

  private final int perTenant;

  Rejections(int perTenant) {
    this.perTenant = perTenant;
  }

  void insert(Connection connection, List<RejectedTelemetry> rejections) throws SQLException {
    if (rejections.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement("INSERT INTO telemetry_rejected (" + COLUMNS
        + ") VALUES (nextval('telemetry_rejected_seq'), ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (RejectedTelemetry r : rejections) {
        statement.setString(1, r.tenant().value());
        statement.setString(2, r.deviceId());
        statement.setString(3, r.profileId());
        statement.setString(4, r.transport());
        statement.setLong(5, EpochMicros.of(r.receivedAt()));
        statement.setString(6, r.reason());
        statement.setString(7, r.payload());
        statement.setInt(8, r.payloadBytes());
        statement.addBatch();
      }
      statement.executeBatch();
    }
    Set<String> tenants = new TreeSet<>();
    rejections.forEach(r -> tenants.add(r.tenant().value()));
    try (PreparedStatement prune = connection.prepareStatement("DELETE FROM telemetry_rejected WHERE tenant = ?"
        + " AND id <= (SELECT id FROM telemetry_rejected WHERE tenant = ? ORDER BY id DESC LIMIT 1 OFFSET ?)")) {
      for (String tenant : tenants) {
        prune.setString(1, tenant);
        prune.setString(2, tenant);
        prune.setInt(3, perTenant);
        prune.executeUpdate();
      }
    }
  }

  static Page<RejectedTelemetry> page(Connection connection, TenantId tenant, Optional<String> deviceId, int limit,
      Optional<String> cursor) throws SQLException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    Optional<Long> before = cursor.map(c -> Cursors.number(Cursors.decode(c, TAG, 1).get(0)));
    String sql = "SELECT " + COLUMNS + " FROM telemetry_rejected WHERE tenant = ?"
        + (deviceId.isPresent() ? " AND device_id = ?" : "") + (before.isPresent() ? " AND id < ?" : "")
        + " ORDER BY id DESC LIMIT ?";
    List<RejectedTelemetry> rows = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int i = 1;
      statement.setString(i++, tenant.value());
      if (deviceId.isPresent()) {
        statement.setString(i++, deviceId.get());
      }
      if (before.isPresent()) {
        statement.setLong(i++, before.get());
      }
      statement.setInt(i, limit + 1);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          rows.add(new RejectedTelemetry(rs.getLong(1), new TenantId(rs.getString(2)), rs.getString(3),
              rs.getString(4), rs.getString(5), EpochMicros.toInstant(rs.getLong(6)), rs.getString(7),
              rs.getString(8), rs.getInt(9)));
        }
      }
    }
    if (rows.size() <= limit) {
      return new Page<>(rows, Optional.empty());
    }
    String next = Cursors.encode(TAG, Long.toString(rows.get(limit - 1).id()));
    return new Page<>(rows.subList(0, limit), Optional.of(next));
  }
}
