package io.flotilla.store.timeseries;

import io.flotilla.core.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables, created at open with {@code IF NOT EXISTS}, and the schema version a later release migrates
 * from. Only the raw points table and the indexes differ between engines (PostgreSQL partitions the points by
 * time and indexes them; DuckDB relies on its zone maps).
 */
final class TelemetrySchema {
  /**
   * The version these statements create; a store with a newer version is refused, an older one migrated.
   * Version 2 numbers the raw points ({@code seq}, see {@link PointSequence}); version 3 writes the latest
   * values behind the points and keeps a watermark to replay from ({@link LatestFlusher}).
   */
  static final int VERSION = 3;

  private TelemetrySchema() {
  }

  static void create(Connection connection, SqlDialect dialect, List<String> engineStatements) throws SQLException {
    String text = dialect.text();
    List<String> statements = new ArrayList<>();
    statements.add("CREATE TABLE IF NOT EXISTS telemetry_schema_version (version INTEGER NOT NULL)");
    for (String rollup : List.of("telemetry_rollup_1m", "telemetry_rollup_1h")) {
      statements.add("CREATE TABLE IF NOT EXISTS " + rollup + " (tenant " + text + " NOT NULL, device_id " + text
          + " NOT NULL, profile_id " + text + " NOT NULL, key " + text + " NOT NULL, bucket_us BIGINT NOT NULL,"
          + " count_num BIGINT NOT NULL, sum_num DOUBLE PRECISION NOT NULL, min_num DOUBLE PRECISION NOT NULL,"
          + " max_num DOUBLE PRECISION NOT NULL, first_num DOUBLE PRECISION NOT NULL, first_us BIGINT NOT NULL,"
          + " last_num DOUBLE PRECISION NOT NULL, last_us BIGINT NOT NULL"
          + (dialect == SqlDialect.POSTGRES ? ", PRIMARY KEY (tenant, device_id, key, bucket_us, profile_id))" : ")"));
    }
    statements.add("CREATE TABLE IF NOT EXISTS telemetry_latest (tenant " + text + " NOT NULL, device_id " + text
        + " NOT NULL, key " + text + " NOT NULL, time_us BIGINT NOT NULL, kind SMALLINT NOT NULL,"
        + " value_num DOUBLE PRECISION, value_bool BOOLEAN, value_text " + text + ", value_json " + text
        + ", PRIMARY KEY (tenant, device_id, key))");
    statements.add("CREATE SEQUENCE IF NOT EXISTS telemetry_rejected_seq");
    statements.add("CREATE TABLE IF NOT EXISTS telemetry_rejected (id BIGINT NOT NULL, tenant " + text
        + " NOT NULL, device_id " + text + " NOT NULL, profile_id " + text + " NOT NULL, transport " + text
        + " NOT NULL, received_us BIGINT NOT NULL, reason " + text + " NOT NULL, payload " + text + " NOT NULL,"
        + " payload_bytes INTEGER NOT NULL)");
    statements.add("CREATE TABLE IF NOT EXISTS telemetry_state (name " + text + " PRIMARY KEY, value BIGINT NOT NULL)");
    statements.addAll(engineStatements);
    statements.add("INSERT INTO telemetry_state (name, value) VALUES ('" + Rollups.WATERMARK + "', 0)"
        + " ON CONFLICT (name) DO NOTHING");
    statements.add("INSERT INTO telemetry_state (name, value) VALUES ('" + LatestValues.FLUSHED + "', 0)"
        + " ON CONFLICT (name) DO NOTHING");
    statements.add("INSERT INTO telemetry_state (name, value) VALUES ('" + JdbcTelemetryStore.JOURNAL_APPLIED
        + "', 0) ON CONFLICT (name) DO NOTHING");
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
    checkVersion(connection, dialect);
  }

  private static void checkVersion(Connection connection, SqlDialect dialect) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT max(version) FROM telemetry_schema_version");
        ResultSet rs = select.executeQuery()) {
      rs.next();
      int found = rs.getInt(1);
      if (rs.wasNull()) {
        try (PreparedStatement insert =
            connection.prepareStatement("INSERT INTO telemetry_schema_version (version) VALUES (?)")) {
          insert.setInt(1, VERSION);
          insert.executeUpdate();
        }
      } else if (found > VERSION) {
        throw new StoreException("The telemetry store has schema version " + found + ", newer than this release's "
            + VERSION + "; run a Flotilla release that knows it", null);
      } else if (found < VERSION) {
        migrateFrom(connection, dialect, found);
      }
    }
  }

  /**
   * Version 1 had no point numbers: its points all get 0, so only new points are told apart by them.
   * Version 2 wrote latest values with every append, so its whole table is current.
   */
  private static void migrateFrom(Connection connection, SqlDialect dialect, int version) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      if (version < 2) {
        // DuckDB cannot add a column with a NOT NULL constraint; the default fills it all the same.
        statement.execute("ALTER TABLE telemetry_points ADD COLUMN IF NOT EXISTS seq BIGINT"
            + (dialect == SqlDialect.POSTGRES ? " NOT NULL" : "") + " DEFAULT 0");
      }
      if (version < 3) {
        // Until version 3 every append wrote the latest values too: nothing before now needs replaying.
        statement.executeUpdate("UPDATE telemetry_state SET value = (SELECT coalesce(max(received_us), 0)"
            + " FROM telemetry_points) WHERE name = '" + LatestValues.FLUSHED + "'");
      }
      statement.executeUpdate("UPDATE telemetry_schema_version SET version = " + VERSION);
    }
  }
}
