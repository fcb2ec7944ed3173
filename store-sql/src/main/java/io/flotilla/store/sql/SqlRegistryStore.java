package io.flotilla.store.sql;

import io.flotilla.core.store.RegistryStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * The transaction handling both engines share; an engine decides only where a transaction's
 * connection comes from. Transactions do not nest: work that calls {@link #write} or {@link #read}
 * of the same store gets an {@link IllegalStateException}, because the inner transaction would
 * neither see the outer one's changes nor roll back with it (and on SQLite would wait for itself).
 */
abstract sealed class SqlRegistryStore implements RegistryStore permits SqliteRegistryStore, PostgresRegistryStore {
  private static final int READY_TIMEOUT_SECONDS = 2;

  private final Dialect dialect;
  private final ThreadLocal<Boolean> inTransaction = ThreadLocal.withInitial(() -> false);
  private volatile boolean closed;

  SqlRegistryStore(Dialect dialect) {
    this.dialect = dialect;
  }

  /** Runs {@code work} with a connection fit for a transaction of {@code mode}. */
  abstract <T> T withConnection(TxMode mode, ConnectionWork<T> work) throws SQLException;

  /** Releases the engine's connections; called once. */
  abstract void closeConnections();

  @Override
  public final <T> T write(Work<T> work) {
    return transaction(TxMode.WRITE, work);
  }

  @Override
  public final <T> T read(Work<T> work) {
    return transaction(TxMode.READ, work);
  }

  @Override
  public final boolean isReady() {
    if (closed) {
      return false;
    }
    try {
      return withConnection(TxMode.READ, connection -> {
        try (Statement statement = connection.createStatement()) {
          statement.setQueryTimeout(READY_TIMEOUT_SECONDS);
          statement.execute("SELECT 1");
          return true;
        }
      });
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public final String engine() {
    return dialect.engine();
  }

  @Override
  public final synchronized void close() {
    if (!closed) {
      closed = true;
      closeConnections();
    }
  }

  private <T> T transaction(TxMode mode, Work<T> work) {
    Objects.requireNonNull(work, "work");
    if (closed) {
      throw new IllegalStateException("The " + engine() + " registry store is closed.");
    }
    if (inTransaction.get()) {
      throw new IllegalStateException("Registry transactions do not nest: do the work inside the transaction "
          + "that is already open instead of calling write or read again.");
    }
    inTransaction.set(true);
    try {
      return withConnection(mode, connection -> run(connection, mode, work));
    } catch (SQLException e) {
      throw dialect.translate(e);
    } finally {
      inTransaction.remove();
    }
  }

  private <T> T run(Connection connection, TxMode mode, Work<T> work) throws SQLException {
    dialect.begin(connection, mode);
    JdbcSession session = new JdbcSession(connection, dialect);
    T result;
    try {
      result = work.run(new SqlTx(session));
    } catch (Throwable failure) {
      rollback(connection, failure);
      throw failure;
    } finally {
      session.end();
    }
    try {
      dialect.commit(connection);
    } catch (SQLException failure) {
      rollback(connection, failure);
      throw failure;
    }
    return result;
  }

  private void rollback(Connection connection, Throwable cause) {
    try {
      dialect.rollback(connection);
    } catch (SQLException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** Work that needs a connection. */
  @FunctionalInterface
  interface ConnectionWork<T> {
    T run(Connection connection) throws SQLException;
  }
}
