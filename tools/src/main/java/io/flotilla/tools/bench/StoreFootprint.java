package io.flotilla.tools.bench;

import io.flotilla.core.telemetry.TelemetryStore;
import io.flotilla.store.timeseries.TelemetryStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * What a telemetry store takes on disk once the server that wrote it has stopped, measured by the
 * store itself ({@link TelemetryStore#diskBytes()}): on DuckDB the database file and its WAL after
 * a {@code CHECKPOINT}, on PostgreSQL {@code pg_total_relation_size} of every telemetry table
 * (rows, indexes, TOAST). Either way that is points, rollups, latest values and rejections together.
 */
final class StoreFootprint {
  private StoreFootprint() {}

  /**
   * Opens the store the server used ({@code tsUrl}: {@code duckdb:} or a PostgreSQL URL), brings a
   * DuckDB file to its checkpointed size, and returns the bytes it takes. The server must be stopped
   * first: a DuckDB file has one owner at a time.
   */
  static long diskBytes(String tsUrl, Path dataDir) {
    try (TelemetryStore store = TelemetryStores.open(tsUrl, dataDir)) {
      if (!tsUrl.startsWith("jdbc:postgresql:")) {
        store.compact();
      }
      return store.diskBytes();
    }
  }

  /** The database product and version behind a JDBC URL, such as {@code PostgreSQL 15.20}; else the fallback. */
  static String product(String jdbcUrl, String fallback) {
    try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
      DatabaseMetaData meta = connection.getMetaData();
      return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
    } catch (SQLException e) {
      return fallback;
    }
  }
}
