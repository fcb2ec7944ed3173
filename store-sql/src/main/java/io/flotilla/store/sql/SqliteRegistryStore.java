package io.flotilla.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flotilla.core.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The registry in one SQLite file, in WAL mode so that readers never wait for the writer.
 *
 * <p>SQLite allows one writer per file. Every write transaction of this store runs on one
 * dedicated connection, taken under a fair lock and started with {@code BEGIN IMMEDIATE}, so
 * writers queue inside the JVM in arrival order and never meet {@code SQLITE_BUSY}; the busy
 * timeout only covers other processes on the same file (a CLI backup, say). Reads run on a small
 * pool of query-only connections, concurrently with each other and with the writer.
 */
public final class SqliteRegistryStore extends SqlRegistryStore {
  static final String URL_PREFIX = "jdbc:sqlite:";
  private static final Logger LOG = LoggerFactory.getLogger(SqliteRegistryStore.class);
  private static final int BUSY_TIMEOUT_MILLIS = 10_000;
  private static final int READERS = 4;

  private final ReentrantLock writeLock = new ReentrantLock(true);
  private final Connection writer;
  private final HikariDataSource readers;

  private SqliteRegistryStore(Connection writer, HikariDataSource readers) {
    super(Dialect.SQLITE);
    this.writer = writer;
    this.readers = readers;
  }

  /** Opens (creating it and its folders if needed) and migrates the database file of {@code jdbcUrl}. */
  public static SqliteRegistryStore open(String jdbcUrl) {
    Path file = databaseFile(jdbcUrl);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new StoreException("Cannot create the folder of the registry database " + file + ": " + e.getMessage(), e);
    }
    Connection writer;
    try {
      writer = config().createConnection(jdbcUrl);
    } catch (SQLException e) {
      throw new StoreException("Cannot open the registry database " + file + ": " + e.getMessage(), e);
    }
    try {
      int version = MigrationRunner.forRegistry(Dialect.SQLITE).migrate(writer);
      // SQLite's advice for long-lived connections: refresh planner statistics where they are
      // missing or stale, bounded so that opening a large registry stays quick.
      Dialect.execute(writer, "PRAGMA analysis_limit = 1000");
      Dialect.execute(writer, "PRAGMA optimize = 0x10002");
      SqliteRegistryStore store = new SqliteRegistryStore(writer, readers(jdbcUrl));
      LOG.info("Opened the registry on SQLite at {} (schema version {}).", file.toAbsolutePath(), version);
      return store;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(writer, e);
      throw e instanceof SQLException sql ? Dialect.SQLITE.translate(sql) : (RuntimeException) e;
    }
  }

  @Override
  <T> T withConnection(TxMode mode, ConnectionWork<T> work) throws SQLException {
    if (mode == TxMode.READ) {
      try (Connection reader = readers.getConnection()) {
        return work.run(reader);
      }
    }
    writeLock.lock();
    try {
      return work.run(writer);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  void closeConnections() {
    readers.close();
    writeLock.lock();
    try {
      Dialect.execute(writer, "PRAGMA optimize");
      writer.close();
    } catch (SQLException e) {
      LOG.warn("Closing the SQLite write connection failed: {}", e.getMessage());
    } finally {
      writeLock.unlock();
    }
  }

  private static SQLiteConfig config() {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // NORMAL in WAL mode survives application crashes; a power loss may lose the last commits, never consistency.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    return config;
  }

  private static HikariDataSource readers(String jdbcUrl) {
    SQLiteDataSource dataSource = new SQLiteDataSource(config());
    dataSource.setUrl(jdbcUrl);
    HikariConfig pool = new HikariConfig();
    pool.setPoolName("flotilla-registry-sqlite-readers");
    pool.setDataSource(dataSource);
    pool.setMaximumPoolSize(READERS);
    pool.setMinimumIdle(1);
    pool.setConnectionInitSql("PRAGMA query_only = ON");
    return new HikariDataSource(pool);
  }

  static Path databaseFile(String jdbcUrl) {
    String location = jdbcUrl.substring(URL_PREFIX.length());
    int query = location.indexOf('?');
    if (query >= 0) {
      location = location.substring(0, query);
    }
    if (location.startsWith("file:")) {
      location = location.substring("file:".length());
    }
    if (location.isBlank() || location.contains(":memory:") || jdbcUrl.contains("mode=memory")) {
      throw new IllegalArgumentException("FLOTILLA_DB_URL must name a SQLite file, such as "
          + "jdbc:sqlite:/var/lib/flotilla/registry.db; in-memory databases are not supported because every "
          + "connection would see a different database");
    }
    return Path.of(location);
  }

  private static void closeQuietly(Connection connection, Exception cause) {
    try {
      connection.close();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
