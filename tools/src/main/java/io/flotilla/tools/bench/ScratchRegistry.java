package io.flotilla.tools.bench;

import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.StoreException;
import io.flotilla.store.sql.RegistryStores;
import io.flotilla.store.sql.TemporaryPostgresDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An empty registry store for one benchmark run, thrown away on {@link #close()}: SQLite in a new
 * folder under {@code java.io.tmpdir}, or PostgreSQL in a new database on the server of an admin
 * URL.
 */
final class ScratchRegistry implements AutoCloseable {
  private final RegistryStore store;
  private final String label;
  private final Optional<Path> folder;
  private final Optional<TemporaryPostgresDatabase> database;

  private ScratchRegistry(RegistryStore store, String label, Optional<Path> folder,
      Optional<TemporaryPostgresDatabase> database) {
    this.store = store;
    this.label = label;
    this.folder = folder;
    this.database = database;
  }

  /** Opens a fresh registry; {@code postgresAdminUrl} names a server database where the user may create databases. */
  static ScratchRegistry open(Engine engine, String postgresAdminUrl) {
    return switch (engine) {
      case SQLITE -> openSqlite();
      case POSTGRESQL -> openPostgres(postgresAdminUrl);
    };
  }

  RegistryStore store() {
    return store;
  }

  /** The engine's product name and version, such as {@code SQLite 3.50.3}. */
  String label() {
    return label;
  }

  /**
   * Refreshes PostgreSQL's planner statistics, as autovacuum does in the background on a server
   * where it is on. Without them the planner takes the growing tables for empty: the import's
   * check for existing ids scans the whole table, and a filtered list takes seconds per page.
   * SQLite keeps no statistics unless told to, and the registry never tells it, so there this
   * does nothing.
   */
  void analyze() {
    if (database.isPresent()) {
      try (Connection connection = DriverManager.getConnection(database.get().jdbcUrl());
          Statement statement = connection.createStatement()) {
        statement.execute("ANALYZE");
      } catch (SQLException e) {
        throw new StoreException("Cannot ANALYZE the benchmark database " + database.get().name() + ": "
            + e.getMessage(), e);
      }
    }
  }

  @Override
  public void close() {
    try {
      store.close();
    } finally {
      database.ifPresent(TemporaryPostgresDatabase::close);
      folder.ifPresent(ScratchRegistry::deleteTree);
    }
  }

  private static ScratchRegistry openSqlite() {
    Path folder;
    try {
      folder = Files.createTempDirectory("flotilla-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a folder under java.io.tmpdir ("
          + System.getProperty("java.io.tmpdir") + ") for the SQLite registry: " + e.getMessage(), e);
    }
    String url = "jdbc:sqlite:" + folder.resolve("registry.db");
    try {
      RegistryStore store = RegistryStores.open(url);
      return new ScratchRegistry(store, productOf(url, "SQLite"), Optional.of(folder), Optional.empty());
    } catch (RuntimeException e) {
      deleteTree(folder);
      throw e;
    }
  }

  private static ScratchRegistry openPostgres(String adminUrl) {
    TemporaryPostgresDatabase database = TemporaryPostgresDatabase.create(adminUrl);
    try {
      RegistryStore store = RegistryStores.open(database.jdbcUrl());
      return new ScratchRegistry(store, productOf(database.jdbcUrl(), "PostgreSQL"), Optional.empty(),
          Optional.of(database));
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  // The version goes into the results table: figures of different engine versions do not compare.
  private static String productOf(String url, String fallback) {
    try (Connection connection = DriverManager.getConnection(url)) {
      DatabaseMetaData meta = connection.getMetaData();
      return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
    } catch (SQLException e) {
      return fallback;
    }
  }

  private static void deleteTree(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the benchmark's SQLite folder " + folder + ": " + e.getMessage(), e);
    }
  }
}
