package io.flotilla.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to the newest schema: applies each missing script in its own transaction and
 * records it in {@code schema_history}. Refuses when an applied script has changed or when the
 * database is newer than this build. Several processes may start at once: each script's
 * transaction takes the dialect's migration lock and checks again whether it is still missing.
 */
final class MigrationRunner {
  static final String REGISTRY_SCRIPTS = "db/registry";
  private static final Logger LOG = LoggerFactory.getLogger(MigrationRunner.class);

  private final Dialect dialect;
  private final List<Migration> migrations;

  MigrationRunner(Dialect dialect, List<Migration> migrations) {
    this.dialect = dialect;
    this.migrations = List.copyOf(migrations);
  }

  static MigrationRunner forRegistry(Dialect dialect) {
    return new MigrationRunner(dialect, Migration.load(REGISTRY_SCRIPTS, dialect));
  }

  /** Migrates the database behind {@code connection} and returns its schema version. */
  int migrate(Connection connection) throws SQLException {
    inTransaction(connection, () -> {
      Dialect.execute(connection, "CREATE TABLE IF NOT EXISTS schema_history (version INTEGER NOT NULL PRIMARY KEY, "
          + "description TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      refuseNewerDatabase(connection);
    });
    for (Migration migration : migrations) {
      inTransaction(connection, () -> apply(connection, migration));
    }
    return newestVersion();
  }

  /** The highest version this build knows; versions may have gaps, so it can exceed the number of scripts. */
  private int newestVersion() {
    return migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
  }

  private void refuseNewerDatabase(Connection connection) throws SQLException {
    long newest;
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_history")) {
      row.next();
      newest = row.getLong(1);
    }
    if (newest > newestVersion()) {
      throw new MigrationException("The registry database has schema version " + newest + " but this Flotilla build "
          + "knows versions up to " + newestVersion() + ". Run a Flotilla release at least as new as the one that "
          + "last opened this database, or point FLOTILLA_DB_URL at another database.", null);
    }
  }

  private void apply(Connection connection, Migration migration) throws SQLException {
    Optional<String> applied = appliedChecksum(connection, migration.version());
    if (applied.isPresent()) {
      if (!applied.get().equals(migration.checksum())) {
        throw new MigrationException("Migration " + migration.script() + " was changed after it was applied to this "
            + "database (applied checksum " + applied.get() + ", script checksum " + migration.checksum() + "). "
            + "Applied migrations must never change: restore the script and put the change in a new one.", null);
      }
      return;
    }
    long started = System.nanoTime();
    int index = 0;
    for (String sql : migration.statements()) {
      index++;
      try {
        Dialect.execute(connection, sql);
      } catch (SQLException e) {
        throw new MigrationException("Migration " + migration.script() + " failed at statement " + index + " on "
            + dialect.engine() + ": " + e.getMessage(), e);
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO schema_history (version, description, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
      insert.setInt(1, migration.version());
      insert.setString(2, migration.description());
      insert.setString(3, migration.checksum());
      insert.setLong(4, System.currentTimeMillis());
      insert.executeUpdate();
    }
    LOG.info("Applied registry migration {} on {} in {} ms.", migration.script(), dialect.engine(),
        (System.nanoTime() - started) / 1_000_000);
  }

  private static Optional<String> appliedChecksum(Connection connection, int version) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT checksum FROM schema_history WHERE version = ?")) {
      select.setInt(1, version);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
      }
    }
  }

  private void inTransaction(Connection connection, SqlWork work) throws SQLException {
    dialect.begin(connection, TxMode.WRITE);
    try {
      Optional<String> lock = dialect.migrationLock();
      if (lock.isPresent()) {
        Dialect.execute(connection, lock.get());
      }
      work.run();
    } catch (SQLException | RuntimeException e) {
      try {
        dialect.rollback(connection);
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    }
    dialect.commit(connection);
  }

  @FunctionalInterface
  private interface SqlWork {
    void run() throws SQLException;
  }
}
