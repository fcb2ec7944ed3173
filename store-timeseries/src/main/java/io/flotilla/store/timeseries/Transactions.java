package io.flotilla.store.timeseries;

import io.flotilla.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in a transaction on a connection: commit when it returns, roll back when it throws. */
final class Transactions {
  private Transactions() {
  }

  static <T> T run(Connection connection, String what, SqlWork<T> work) {
    try {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollBack(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  static StoreException failure(String what, SQLException e) {
    return new StoreException("The telemetry store could not " + what + ": " + e.getMessage(), e);
  }

  private static void rollBack(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
