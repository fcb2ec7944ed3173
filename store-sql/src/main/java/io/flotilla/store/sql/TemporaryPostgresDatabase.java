package io.flotilla.store.sql;

import io.flotilla.core.store.StoreException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh, empty PostgreSQL database with a random name, dropped on {@link #close()}, so that
 * every test run or benchmark gets its own database and leaves nothing behind. It lives in main
 * code because the benchmark tool uses it too.
 */
public final class TemporaryPostgresDatabase implements AutoCloseable {
  /** The system property with the JDBC URL of a database on the server where the user may create databases. */
  public static final String ADMIN_URL_PROPERTY = "flotilla.test.pg";
  public static final String DEFAULT_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
  private static final Logger LOG = LoggerFactory.getLogger(TemporaryPostgresDatabase.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String adminUrl;
  private final String name;
  private final String jdbcUrl;
  private boolean dropped;

  private TemporaryPostgresDatabase(String adminUrl, String name) {
    this.adminUrl = adminUrl;
    this.name = name;
    this.jdbcUrl = withDatabase(adminUrl, name);
  }

  /** Creates a database on the server named by the {@value #ADMIN_URL_PROPERTY} property, or the local default. */
  public static TemporaryPostgresDatabase create() {
    return create(System.getProperty(ADMIN_URL_PROPERTY, DEFAULT_ADMIN_URL));
  }

  public static TemporaryPostgresDatabase create(String adminUrl) {
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    TemporaryPostgresDatabase database =
        new TemporaryPostgresDatabase(adminUrl, "flotilla_test_" + HexFormat.of().formatHex(random));
    database.execute("CREATE DATABASE " + database.name);
    LOG.debug("Created the temporary database {}.", database.name);
    return database;
  }

  /** The URL of the new database, with the admin URL's host, port and parameters. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String name() {
    return name;
  }

  /**
   * Empties the database by re-creating its {@code public} schema, which is much faster than a
   * new database: tests that share one database per run call it before each test. Close every
   * store on the database first.
   */
  public void reset() {
    try (Connection connection = DriverManager.getConnection(jdbcUrl);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA public CASCADE");
      statement.execute("CREATE SCHEMA public");
    } catch (SQLException e) {
      throw new StoreException("Cannot reset the temporary database " + name + ": " + e.getMessage(), e);
    }
  }

  /** Drops the database, ending any connection still open to it. */
  @Override
  public synchronized void close() {
    if (!dropped) {
      dropped = true;
      execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      LOG.debug("Dropped the temporary database {}.", name);
    }
  }

  private void execute(String sql) {
    try (Connection connection = DriverManager.getConnection(adminUrl);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new StoreException("Cannot run '" + sql + "' on the PostgreSQL server at "
          + RegistryStores.describe(adminUrl) + "; set -D" + ADMIN_URL_PROPERTY + " to the JDBC URL of a database "
          + "where the user may create databases: " + e.getMessage(), e);
    }
  }

  /** Replaces the database of a {@code jdbc:postgresql:} URL, keeping everything else. */
  static String withDatabase(String url, String database) {
    if (!url.startsWith(PostgresRegistryStore.URL_PREFIX)) {
      throw new IllegalArgumentException(ADMIN_URL_PROPERTY + " must be a jdbc:postgresql: URL, such as "
          + DEFAULT_ADMIN_URL);
    }
    int queryStart = url.indexOf('?');
    String query = queryStart >= 0 ? url.substring(queryStart) : "";
    String base = queryStart >= 0 ? url.substring(0, queryStart) : url;
    String rest = base.substring(PostgresRegistryStore.URL_PREFIX.length());
    if (!rest.startsWith("//")) {
      return PostgresRegistryStore.URL_PREFIX + database + query;
    }
    int pathStart = rest.indexOf('/', 2);
    String hosts = pathStart >= 0 ? rest.substring(0, pathStart) : rest;
    return PostgresRegistryStore.URL_PREFIX + hosts + "/" + database + query;
  }
}
