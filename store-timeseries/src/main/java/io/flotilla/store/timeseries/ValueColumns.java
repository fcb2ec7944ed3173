package io.flotilla.store.timeseries;

import io.flotilla.core.telemetry.TelemetryValue;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * How a value is spread over the columns {@code kind, value_num, value_bool, value_text, value_json}: the kind
 * code says which one column holds it; the others stay NULL (free in DuckDB's validity masks and PostgreSQL's
 * null bitmap).
 */
final class ValueColumns {
  static final String NAMES = "kind, value_num, value_bool, value_text, value_json";
  static final short NUMBER = 0;

  private ValueColumns() {
  }

  static short kind(TelemetryValue value) {
    return switch (value.type()) {
      case NUMBER -> 0;
      case BOOLEAN -> 1;
      case STRING -> 2;
      case JSON -> 3;
    };
  }

  /** The five column values, in {@link #NAMES} order. */
  static Object[] of(TelemetryValue value) {
    return switch (value) {
      case TelemetryValue.Num n -> new Object[] {kind(value), n.value(), null, null, null};
      case TelemetryValue.Bool b -> new Object[] {kind(value), null, b.value(), null, null};
      case TelemetryValue.Text t -> new Object[] {kind(value), null, null, t.value(), null};
      case TelemetryValue.Json j -> new Object[] {kind(value), null, null, null, j.json()};
    };
  }

  /** Reads the value whose five columns start at {@code first} (1-based). */
  static TelemetryValue read(ResultSet rs, int first) throws SQLException {
    int kind = rs.getInt(first);
    return switch (kind) {
      case 0 -> new TelemetryValue.Num(rs.getDouble(first + 1));
      case 1 -> new TelemetryValue.Bool(rs.getBoolean(first + 2));
      case 2 -> new TelemetryValue.Text(rs.getString(first + 3));
      case 3 -> new TelemetryValue.Json(rs.getString(first + 4));
      default -> throw new SQLException("Unknown value kind " + kind + " in the telemetry tables");
    };
  }
}
