package io.flotilla.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The statements of one transaction: binds parameters, maps rows and turns {@link SQLException}s
 * into the port's exceptions. Parameters are String, Long, Integer, Double, Boolean, byte[] or null.
 */
final class JdbcSession {
  /** Rows per executeBatch call: large enough to amortize round trips, small enough to bound memory. */
  static final int BATCH_SIZE = 1000;
  private static final int FETCH_SIZE = 500;

  private final Connection connection;
  private final Dialect dialect;
  private boolean ended;

  JdbcSession(Connection connection, Dialect dialect) {
    this.connection = connection;
    this.dialect = dialect;
  }

  Dialect dialect() {
    return dialect;
  }

  void end() {
    ended = true;
  }

  int update(String sql, Object... params) {
    try (PreparedStatement statement = prepare(sql, params)) {
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw dialect.translate(e);
    }
  }

  <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = new ArrayList<>();
    each(sql, mapper, rows::add, params);
    return rows;
  }

  <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = list(sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  long count(String sql, Object... params) {
    return one(sql, row -> row.getLong(1), params).orElse(0L);
  }

  /** Streams the rows to {@code consumer}, fetching them in chunks instead of all at once. */
  <T> void each(String sql, RowMapper<T> mapper, Consumer<? super T> consumer, Object... params) {
    try (PreparedStatement statement = prepare(sql, params)) {
      statement.setFetchSize(FETCH_SIZE);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          consumer.accept(mapper.map(row));
        }
      }
    } catch (SQLException e) {
      throw dialect.translate(e);
    }
  }

  /** Runs {@code sql} once per parameter row, in batches; returns the update count of each row. */
  int[] batch(String sql, List<Object[]> rows) {
    int[] counts = new int[rows.size()];
    if (rows.isEmpty()) {
      return counts;
    }
    try (PreparedStatement statement = prepare(sql)) {
      int done = 0;
      for (Object[] params : rows) {
        bind(statement, params);
        statement.addBatch();
        if (++done % BATCH_SIZE == 0 || done == rows.size()) {
          int[] chunk = statement.executeBatch();
          System.arraycopy(chunk, 0, counts, done - chunk.length, chunk.length);
        }
      }
      return counts;
    } catch (SQLException e) {
      throw dialect.translate(e);
    }
  }

  /**
   * Runs {@code work} so that it either applies whole or leaves the transaction as it was and
   * usable, on both engines (PostgreSQL would otherwise refuse every later statement).
   */
  void atomically(Runnable work) {
    update("SAVEPOINT flotilla_atomic");
    try {
      work.run();
    } catch (RuntimeException e) {
      try {
        update("ROLLBACK TO SAVEPOINT flotilla_atomic");
        update("RELEASE SAVEPOINT flotilla_atomic");
      } catch (RuntimeException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    }
    update("RELEASE SAVEPOINT flotilla_atomic");
  }

  private PreparedStatement prepare(String sql, Object... params) throws SQLException {
    if (ended) {
      throw new IllegalStateException("The transaction has ended: use the repositories only inside the work "
          + "passed to RegistryStore.write or read.");
    }
    PreparedStatement statement = connection.prepareStatement(sql);
    try {
      bind(statement, params);
      return statement;
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }

  private static void bind(PreparedStatement statement, Object[] params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      int index = i + 1;
      switch (params[i]) {
        case null -> statement.setNull(index, Types.NULL);
        case String s -> statement.setString(index, s);
        case Long l -> statement.setLong(index, l);
        case Integer n -> statement.setInt(index, n);
        case Double d -> statement.setDouble(index, d);
        case Boolean b -> statement.setBoolean(index, b);
        case byte[] bytes -> statement.setBytes(index, bytes);
        default -> throw new IllegalArgumentException("cannot bind a " + params[i].getClass().getName());
      }
    }
  }
}
