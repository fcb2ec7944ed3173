package io.flotilla.store.timeseries;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/** Bulk loading through PostgreSQL's COPY in text format, inside the caller's transaction. */
final class PostgresCopyLoader implements BulkLoader {
  @Override
  public void load(Connection connection, String table, List<String> columns, List<Object[]> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder(rows.size() * 96);
    for (Object[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        if (i > 0) {
          text.append('\t');
        }
        appendValue(text, row[i]);
      }
      text.append('\n');
    }
    CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
    String sql = "COPY " + (table.startsWith("temp.") ? table.substring(5) : table)
        + " (" + String.join(", ", columns) + ") FROM STDIN";
    try {
      copy.copyIn(sql, new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new SQLException("COPY into " + table + " failed: " + e.getMessage(), e);
    }
  }

  private static void appendValue(StringBuilder text, Object value) {
    switch (value) {
      case null -> text.append("\\N");
      case Boolean b -> text.append(b ? 't' : 'f');
      case String s -> escape(text, s);
      default -> text.append(value);
    }
  }

  private static void escape(StringBuilder text, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> text.append("\\\\");
        case '\t' -> text.append("\\t");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        default -> text.append(c);
      }
    }
  }
}
