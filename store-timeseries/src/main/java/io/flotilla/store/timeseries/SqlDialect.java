package io.flotilla.store.timeseries;

/**
 * The few places where DuckDB and PostgreSQL need different SQL; every other statement is shared. Both
 * accept {@code INSERT … ON CONFLICT … DO UPDATE … WHERE}, sequences, {@code LIMIT}, {@code %} on BIGINT.
 */
enum SqlDialect {
  DUCKDB, POSTGRES;

  /** The value at the earliest time in the group. */
  String firstBy(String value, String time) {
    return this == DUCKDB ? "arg_min(" + value + ", " + time + ")"
        : "(array_agg(" + value + " ORDER BY " + time + "))[1]";
  }

  /** The value at the latest time in the group. */
  String lastBy(String value, String time) {
    return this == DUCKDB ? "arg_max(" + value + ", " + time + ")"
        : "(array_agg(" + value + " ORDER BY " + time + " DESC))[1]";
  }

  /** The text type, compared byte-wise so that both engines order keys identically. */
  String text() {
    return this == DUCKDB ? "VARCHAR" : "TEXT COLLATE \"C\"";
  }

  /** A temporary table of the connection, emptied by its users (PostgreSQL also empties it at commit). */
  String createTempTable(String name, String columns) {
    return this == DUCKDB ? "CREATE TEMP TABLE IF NOT EXISTS " + name + " (" + columns + ")"
        : "CREATE TEMP TABLE IF NOT EXISTS " + name + " (" + columns + ") ON COMMIT DELETE ROWS";
  }

  /** How {@link BulkLoader} names a temporary table. */
  String tempTableForLoader(String name) {
    return this == DUCKDB ? "temp." + name : name;
  }
}
