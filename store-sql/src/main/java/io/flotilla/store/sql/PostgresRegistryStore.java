package io.flotilla.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flotilla.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry in PostgreSQL, for clusters of Flotilla servers sharing one database.
 *
 * <p>Writes run in READ COMMITTED; appends to one tenant's audit chain queue on a
 * {@code SELECT … FOR UPDATE} of that tenant's {@code audit_head} row, so that concurrent
 * transactions, in this process or another, cannot fork the chain. Reads run in REPEATABLE READ,
 * READ ONLY, which gives them one snapshot without ever failing on a serialization conflict.
 */
public final class PostgresRegistryStore extends SqlRegistryStore {
  static final String URL_PREFIX = "jdbc:postgresql:";
  private static final Logger LOG = LoggerFactory.getLogger(PostgresRegistryStore.class);
  private static final int POOL_SIZE = 10;
  /** How long a transaction waits for a free connection before it fails as unavailable (503). */
  private static final long CONNECTION_TIMEOUT_MILLIS = 5_000;

  private final HikariDataSource pool;

  private PostgresRegistryStore(HikariDataSource pool) {
    super(Dialect.POSTGRESQL);
    this.pool = pool;
  }

  /** Connects to the database of {@code jdbcUrl} and migrates it. */
  public static PostgresRegistryStore open(String jdbcUrl) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("flotilla-registry-postgresql");
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    config.setAutoCommit(false);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    // Lets the driver turn insertAll's batches into multi-row INSERTs: one round trip per 128 rows.
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    config.addDataSourceProperty("ApplicationName", "flotilla");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("Cannot connect to the PostgreSQL registry at " + RegistryStores.describe(jdbcUrl)
          + " (FLOTILLA_DB_URL): " + rootMessage(e), e);
    }
    try (Connection connection = pool.getConnection()) {
      int version = MigrationRunner.forRegistry(Dialect.POSTGRESQL).migrate(connection);
      LOG.info("Opened the registry on PostgreSQL at {} (schema version {}).", RegistryStores.describe(jdbcUrl),
          version);
      return new PostgresRegistryStore(pool);
    } catch (SQLException | RuntimeException e) {
      pool.close();
      throw e instanceof SQLException sql ? Dialect.POSTGRESQL.translate(sql) : (RuntimeException) e;
    }
  }

  @Override
  <T> T withConnection(TxMode mode, ConnectionWork<T> work) throws SQLException {
    try (Connection connection = pool.getConnection()) {
      return work.run(connection);
    }
  }

  @Override
  void closeConnections() {
    pool.close();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
