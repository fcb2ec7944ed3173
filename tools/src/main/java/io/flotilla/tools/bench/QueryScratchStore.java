package io.flotilla.tools.bench;

import io.flotilla.core.telemetry.TelemetryStore;
import io.flotilla.store.sql.TemporaryPostgresDatabase;
import io.flotilla.store.timeseries.TelemetryStoreSettings;
import io.flotilla.store.timeseries.TelemetryStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The telemetry store of one query benchmark run, opened through {@link TelemetryStores} as the server
 * opens it: DuckDB in a new folder under {@code java.io.tmpdir} (or in a folder the user keeps), or
 * PostgreSQL in a new database on the server of an admin URL. {@link #close()} deletes what it created, and
 * so does a shutdown hook if the run is interrupted: a stopped benchmark leaves no gigabytes behind.
 */
final class QueryScratchStore implements AutoCloseable {
  private final TelemetryStore store;
  private final String label;
  private final Path folder;
  private final boolean deleteFolder;
  private final Optional<TemporaryPostgresDatabase> database;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread onShutdown = new Thread(this::cleanUp, "bench-query-cleanup");

  private QueryScratchStore(TelemetryStore store, String label, Path folder, boolean deleteFolder,
      Optional<TemporaryPostgresDatabase> database) {
    this.store = store;
    this.label = label;
    this.folder = folder;
    this.deleteFolder = deleteFolder;
    this.database = database;
    Runtime.getRuntime().addShutdownHook(onShutdown);
  }

  /** A DuckDB store in {@code folder}, kept afterwards, or in a new temporary folder deleted on close. */
  static QueryScratchStore duckDb(Optional<Path> keptFolder) {
    Path folder;
    try {
      folder = keptFolder.isPresent() ? Files.createDirectories(keptFolder.get())
          : Files.createTempDirectory("flotilla-bench-query-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the folder for the DuckDB file ("
          + keptFolder.map(Path::toString).orElse("under java.io.tmpdir") + "): " + e.getMessage(), e);
    }
    try {
      // The engine itself: loading here is a bulk load, nothing waits for acknowledgements.
      TelemetryStore store = TelemetryStores.open("duckdb:", folder,
          TelemetryStoreSettings.DEFAULTS.withJournal(false));
      return new QueryScratchStore(store, product("jdbc:duckdb:", "SELECT 'DuckDB ' || version()", "DuckDB"),
          folder, keptFolder.isEmpty(), Optional.empty());
    } catch (RuntimeException e) {
      if (keptFolder.isEmpty()) {
        deleteTree(folder);
      }
      throw e;
    }
  }

  /** A PostgreSQL store in a new database on the server of {@code adminUrl}, dropped on close. */
  static QueryScratchStore postgres(String adminUrl) {
    TemporaryPostgresDatabase database = TemporaryPostgresDatabase.create(adminUrl);
    try {
      TelemetryStore store = TelemetryStores.open(database.jdbcUrl(), Path.of("."), TelemetryStoreSettings.DEFAULTS);
      return new QueryScratchStore(store, product(database.jdbcUrl(), "SELECT 'PostgreSQL ' || split_part("
          + "current_setting('server_version'), ' ', 1)", "PostgreSQL"), Path.of("."), false, Optional.of(database));
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  TelemetryStore store() {
    return store;
  }

  /** The engine's name and version, such as {@code DuckDB v1.4.1}: figures of different versions do not compare. */
  String label() {
    return label;
  }

  /** The DuckDB store's folder; empty on PostgreSQL, whose files are the server's. */
  Optional<Path> folder() {
    return database.isPresent() ? Optional.empty() : Optional.of(folder);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(onShutdown);
    } catch (IllegalStateException e) {
      // the JVM is shutting down and the hook runs (or ran) cleanUp itself
    }
    cleanUp();
  }

  private void cleanUp() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      store.close();
    } finally {
      database.ifPresent(TemporaryPostgresDatabase::close);
      if (deleteFolder) {
        deleteTree(folder);
      }
    }
  }

  private static String product(String url, String sql, String fallback) {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : fallback;
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
      throw new UncheckedIOException("Cannot delete the benchmark's DuckDB folder " + folder + ": " + e.getMessage(),
          e);
    }
  }
}
