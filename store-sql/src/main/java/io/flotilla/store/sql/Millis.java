package io.flotilla.store.sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Times are stored as BIGINT epoch milliseconds on both engines; finer precision is dropped. */
final class Millis {
  private Millis() {}

  static long of(Instant instant) {
    return instant.toEpochMilli();
  }

  static Long ofOptional(Optional<Instant> instant) {
    return instant.map(Instant::toEpochMilli).orElse(null);
  }

  static Instant read(ResultSet row, String column) throws SQLException {
    return Instant.ofEpochMilli(row.getLong(column));
  }

  static Optional<Instant> readOptional(ResultSet row, String column) throws SQLException {
    long millis = row.getLong(column);
    return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
