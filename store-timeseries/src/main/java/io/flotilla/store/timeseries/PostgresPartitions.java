package io.flotilla.store.timeseries;

import io.flotilla.core.telemetry.TelemetryPoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Daily RANGE partitions of {@code telemetry_points} on {@code time_us} (UTC days), created before the
 * points that need them are written. Only days near today get a partition (see {@link PostgresSettings});
 * points far in the past or future go to the DEFAULT partition. When a day's partition is created while the
 * DEFAULT partition holds rows of that day, they are moved into it in the same transaction (PostgreSQL
 * refuses the partition otherwise).
 */
final class PostgresPartitions {
  static final List<String> DDL = List.of(
      "CREATE TABLE IF NOT EXISTS telemetry_points (tenant TEXT COLLATE \"C\" NOT NULL,"
          + " device_id TEXT COLLATE \"C\" NOT NULL, profile_id TEXT COLLATE \"C\" NOT NULL,"
          + " key TEXT COLLATE \"C\" NOT NULL, time_us BIGINT NOT NULL, received_us BIGINT NOT NULL,"
          + " kind SMALLINT NOT NULL, value_num DOUBLE PRECISION, value_bool BOOLEAN,"
          + " value_text TEXT COLLATE \"C\", value_json TEXT, seq BIGINT NOT NULL) PARTITION BY RANGE (time_us)",
      "CREATE TABLE IF NOT EXISTS telemetry_points_default PARTITION OF telemetry_points DEFAULT",
      "CREATE INDEX IF NOT EXISTS telemetry_points_device_time ON telemetry_points (tenant, device_id, time_us, key)",
      "CREATE INDEX IF NOT EXISTS telemetry_points_received ON telemetry_points USING brin (received_us)",
      "CREATE INDEX IF NOT EXISTS telemetry_rollup_1m_profile ON telemetry_rollup_1m (tenant, profile_id, bucket_us)",
      "CREATE INDEX IF NOT EXISTS telemetry_rollup_1h_profile ON telemetry_rollup_1h (tenant, profile_id, bucket_us)",
      "CREATE INDEX IF NOT EXISTS telemetry_rejected_tenant ON telemetry_rejected (tenant, id)",
      "CREATE INDEX IF NOT EXISTS telemetry_rejected_device ON telemetry_rejected (tenant, device_id, id)");
  private static final long DAY_US = 86_400_000_000L;
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'telemetry_points_p'uuuuMMdd");

  private final PostgresSettings settings;
  private final Clock clock;
  private final Set<Long> ready = ConcurrentHashMap.newKeySet();

  PostgresPartitions(PostgresSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** The epoch days of the points that should have a partition of their own and may not have one yet. */
  Set<Long> missingFor(List<TelemetryPoint> points) {
    long today = LocalDate.now(clock.withZone(ZoneOffset.UTC)).toEpochDay();
    Set<Long> missing = new TreeSet<>();
    for (TelemetryPoint point : points) {
      long day = Math.floorDiv(EpochMicros.of(point.time()), DAY_US);
      if (day >= today - settings.partitionPastDays() && day <= today + settings.partitionFutureDays()
          && !ready.contains(day)) {
        missing.add(day);
      }
    }
    return missing;
  }

  /** Creates the partition of one day unless it exists, in the caller's transaction. */
  void create(Connection connection, long epochDay) throws SQLException {
    String name = NAME.format(LocalDate.ofEpochDay(epochDay));
    long from = epochDay * DAY_US;
    long to = from + DAY_US;
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_xact_lock(7263001)");
      if (!exists(connection, name)) {
        statement.execute("CREATE TEMP TABLE telemetry_moved (LIKE telemetry_points) ON COMMIT DROP");
        statement.execute("WITH moved AS (DELETE FROM telemetry_points_default WHERE time_us >= " + from
            + " AND time_us < " + to + " RETURNING *) INSERT INTO telemetry_moved SELECT * FROM moved");
        statement.execute("CREATE TABLE " + name + " PARTITION OF telemetry_points FOR VALUES FROM (" + from
            + ") TO (" + to + ")");
        statement.execute("INSERT INTO telemetry_points SELECT * FROM telemetry_moved");
      }
    }
  }

  void markReady(long epochDay) {
    ready.add(epochDay);
  }

  /**
   * Drops the daily partitions that are empty and older than the window (expiry emptied them), so their
   * files go back to the operating system at once; returns how many were dropped.
   */
  int dropEmptyBeforeWindow(Connection connection) throws SQLException {
    long oldest = LocalDate.now(clock.withZone(ZoneOffset.UTC)).toEpochDay() - settings.partitionPastDays();
    List<String> candidates = new java.util.ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement("SELECT c.relname FROM pg_inherits i"
        + " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'telemetry_points'::regclass"
        + " AND c.relname LIKE 'telemetry\\_points\\_p%'");
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        String name = rs.getString(1);
        if (LocalDate.parse(name, NAME).toEpochDay() < oldest) {
          candidates.add(name);
        }
      }
    }
    int dropped = 0;
    try (Statement statement = connection.createStatement()) {
      for (String name : candidates) {
        try (ResultSet rs = statement.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM " + name + ")")) {
          rs.next();
          if (!rs.getBoolean(1)) {
            continue;
          }
        }
        statement.execute("DROP TABLE " + name);
        ready.remove(LocalDate.parse(name, NAME).toEpochDay());
        dropped++;
      }
    }
    return dropped;
  }

  private static boolean exists(Connection connection, String name) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      statement.setString(1, name);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
