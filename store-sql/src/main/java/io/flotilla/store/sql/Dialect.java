package io.flotilla.store.sql;

import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The few places where SQLite and PostgreSQL differ; everything else is shared SQL. */
enum Dialect {
  SQLITE("sqlite") {
    @Override
    String keyText() {
      return "TEXT";
    }

    @Override
    String bytes() {
      return "BLOB";
    }

    @Override
    String forUpdate() {
      return "";
    }

    @Override
    boolean isDuplicateKey(SQLException e) {
      return e instanceof SQLiteException s && (s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
          || s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE);
    }

    // The driver's own transaction handling re-opens a transaction right after each commit, which
    // would hold SQLite's write lock between our transactions; explicit statements avoid that.
    @Override
    void begin(Connection connection, TxMode mode) throws SQLException {
      execute(connection, mode == TxMode.WRITE ? "BEGIN IMMEDIATE" : "BEGIN");
    }

    @Override
    void commit(Connection connection) throws SQLException {
      execute(connection, "COMMIT");
    }

    @Override
    void rollback(Connection connection) throws SQLException {
      execute(connection, "ROLLBACK");
    }

    @Override
    Optional<String> migrationLock() {
      return Optional.empty();
    }
  },

  POSTGRESQL("postgresql") {
    @Override
    String keyText() {
      return "TEXT COLLATE \"C\"";
    }

    @Override
    String bytes() {
      return "BYTEA";
    }

    @Override
    String forUpdate() {
      return " FOR UPDATE";
    }

    @Override
    boolean isDuplicateKey(SQLException e) {
      return "23505".equals(e.getSQLState());
    }

    // Connections come from the pool with auto-commit off, so a transaction starts with the first statement.
    @Override
    void begin(Connection connection, TxMode mode) throws SQLException {
      if (mode == TxMode.READ) {
        execute(connection, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      }
    }

    @Override
    void commit(Connection connection) throws SQLException {
      connection.commit();
    }

    @Override
    void rollback(Connection connection) throws SQLException {
      connection.rollback();
    }

    @Override
    Optional<String> migrationLock() {
      return Optional.of("SELECT pg_advisory_xact_lock(hashtext('flotilla.registry.migrations'))");
    }
  };

  private final String engine;

  Dialect(String engine) {
    this.engine = engine;
  }

  /** The engine's name for logs, metrics and per-engine script variants. */
  public String engine() {
    return engine;
  }

  /** The column type of ids, names and tags: text that both engines order byte by byte. */
  abstract String keyText();

  /** The column type of binary values, kept byte for byte (MQTT payloads). */
  abstract String bytes();

  /** The clause that locks selected rows until the transaction ends; SQLite has a single writer instead. */
  abstract String forUpdate();

  /** Whether the error, or any error chained to it, is a primary-key or unique violation. */
  boolean isDuplicateKeyAnywhere(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        for (SQLException next = s; next != null; next = next.getNextException()) {
          if (isDuplicateKey(next)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  abstract boolean isDuplicateKey(SQLException e);

  /** The port's exception for a failed statement: a duplicate key, or a store failure the caller cannot fix. */
  RuntimeException translate(SQLException e) {
    if (isDuplicateKeyAnywhere(e)) {
      return new DuplicateKeyException("A row with the same key exists already: " + e.getMessage(), e);
    }
    return new StoreException("The registry database failed (SQLState " + e.getSQLState() + "): " + e.getMessage(), e);
  }

  abstract void begin(Connection connection, TxMode mode) throws SQLException;

  abstract void commit(Connection connection) throws SQLException;

  abstract void rollback(Connection connection) throws SQLException;

  /** A statement that serializes migration runs of several processes, taken inside each migration transaction. */
  abstract Optional<String> migrationLock();

  /** Replaces the placeholders of a migration script with this engine's types. */
  String expand(String script) {
    return script.replace("${key_text}", keyText()).replace("${bytes}", bytes());
  }

  static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
