package io.flotilla.store.timeseries;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Bulk loading through DuckDB's Appender; {@code temp.x} names a temporary table of the connection. */
final class DuckDbAppenderLoader implements BulkLoader {
  @Override
  public void load(Connection connection, String table, List<String> columns, List<Object[]> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    DuckDBConnection duck = connection.unwrap(DuckDBConnection.class);
    try (DuckDBAppender appender = table.startsWith("temp.")
        ? duck.createAppender("temp", "main", table.substring(5))
        : duck.createAppender("main", table)) {
      for (Object[] row : rows) {
        appender.beginRow();
        for (Object value : row) {
          switch (value) {
            case null -> appender.appendNull();
            case String s -> appender.append(s);
            case Long l -> appender.append(l.longValue());
            case Short s -> appender.append(s.shortValue());
            case Double d -> appender.append(d.doubleValue());
            case Boolean b -> appender.append(b.booleanValue());
            default -> throw new IllegalArgumentException("cannot append a " + value.getClass().getName());
          }
        }
        appender.endRow();
      }
      appender.flush();
    }
  }
}
