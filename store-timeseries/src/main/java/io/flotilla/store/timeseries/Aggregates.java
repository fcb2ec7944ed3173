package io.flotilla.store.timeseries;

import io.flotilla.core.telemetry.Aggregate;
import io.flotilla.core.telemetry.BucketQuery;
import io.flotilla.core.telemetry.BucketValue;
import io.flotilla.core.telemetry.FleetBucket;
import io.flotilla.core.telemetry.FleetQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Bucketed aggregates of one device ({@link BucketQuery}) and of a fleet by group ({@link FleetQuery}). */
final class Aggregates {
  private static final String FLEET_TABLE = "telemetry_fleet_devices";

  private final SqlDialect dialect;
  private final BulkLoader loader;

  Aggregates(SqlDialect dialect, BulkLoader loader) {
    this.dialect = dialect;
    this.loader = loader;
  }

  List<BucketValue> buckets(Connection connection, BucketQuery query) throws SQLException {
    BucketGrid grid = BucketGrid.of(query.from(), query.to(), query.bucket(), query.zone());
    grid.requireServableBy(query.tier());
    AggregateSource source = AggregateSource.of(query.tier(), dialect);
    List<String> keys = new ArrayList<>(query.keys());
    Collections.sort(keys);
    String time = source.timeColumn();
    String sql = "SELECT key, " + grid.bucketOf(time) + ", " + source.allExpressions() + " FROM " + source.table()
        + " WHERE tenant = ? AND device_id = ?" + source.filter() + " AND " + time + " >= ? AND " + time + " < ?"
        + (keys.isEmpty() ? "" : " AND key IN (" + String.join(", ", Collections.nCopies(keys.size(), "?")) + ")")
        + " GROUP BY 1, 2 ORDER BY 1, 2";
    List<BucketValue> values = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int i = 1;
      statement.setString(i++, query.tenant().value());
      statement.setString(i++, query.deviceId());
      statement.setLong(i++, EpochMicros.of(query.from()));
      statement.setLong(i++, EpochMicros.of(query.to()));
      for (String key : keys) {
        statement.setString(i++, key);
      }
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          Map<Aggregate, Double> asked = new EnumMap<>(Aggregate.class);
          for (Aggregate aggregate : query.aggregates()) {
            asked.put(aggregate, rs.getDouble(3 + aggregate.ordinal()));
          }
          values.add(new BucketValue(rs.getString(1), EpochMicros.toInstant(rs.getLong(2)), asked));
        }
      }
    }
    return values;
  }

  List<FleetBucket> fleet(Connection connection, FleetQuery query) throws SQLException {
    if (query.groupOfDevice().isEmpty()) {
      return List.of();
    }
    BucketGrid grid = BucketGrid.of(query.from(), query.to(), query.bucket(), query.zone());
    grid.requireServableBy(query.tier());
    loadGroups(connection, query.groupOfDevice());
    AggregateSource source = AggregateSource.of(query.tier(), dialect);
    String time = "p." + source.timeColumn();
    String sql = "SELECT g.group_label, " + grid.bucketOf(time) + ", " + source.expression(query.aggregate())
        + ", count(DISTINCT p.device_id) FROM " + source.table() + " p JOIN " + FLEET_TABLE
        + " g ON g.device_id = p.device_id WHERE p.tenant = ? AND p.key = ?" + source.filter()
        + " AND " + time + " >= ? AND " + time + " < ? GROUP BY 1, 2 ORDER BY 1, 2";
    List<FleetBucket> buckets = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, query.tenant().value());
      statement.setString(2, query.key());
      statement.setLong(3, EpochMicros.of(query.from()));
      statement.setLong(4, EpochMicros.of(query.to()));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          buckets.add(new FleetBucket(rs.getString(1), EpochMicros.toInstant(rs.getLong(2)), rs.getDouble(3),
              rs.getLong(4)));
        }
      }
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM " + FLEET_TABLE);
    }
    return buckets;
  }

  private void loadGroups(Connection connection, Map<String, String> groupOfDevice) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(dialect.createTempTable(FLEET_TABLE,
          "device_id " + dialect.text() + " NOT NULL, group_label " + dialect.text() + " NOT NULL"));
      statement.execute("DELETE FROM " + FLEET_TABLE);
    }
    List<Object[]> rows = new ArrayList<>(groupOfDevice.size());
    groupOfDevice.forEach((device, group) -> rows.add(new Object[] {device, group}));
    loader.load(connection, dialect.tempTableForLoader(FLEET_TABLE), List.of("device_id", "group_label"), rows);
  }
}
