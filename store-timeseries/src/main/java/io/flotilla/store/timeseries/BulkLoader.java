package io.flotilla.store.timeseries;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Loads many rows into one table inside the caller's transaction, the fastest way the engine has: DuckDB's
 * Appender, PostgreSQL's COPY. Row values are {@code String}, {@code Long}, {@code Short}, {@code Double},
 * {@code Boolean} or null, in the order of {@code columns}.
 */
interface BulkLoader {
  void load(Connection connection, String table, List<String> columns, List<Object[]> rows) throws SQLException;
}
