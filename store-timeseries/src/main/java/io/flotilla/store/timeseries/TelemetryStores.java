package io.flotilla.store.timeseries;

import io.flotilla.core.telemetry.TelemetryStore;
import java.nio.file.Path;
import java.time.Clock;

/** Opens the telemetry store a URL names: a DuckDB file (embedded, the default) or PostgreSQL (cluster). */
public final class TelemetryStores {
  /** The file in the data folder used when the URL is {@code duckdb:} alone. */
  public static final String DEFAULT_FILE = "telemetry.duckdb";

  private TelemetryStores() {
  }

  /**
   * Opens the store.
   *
   * @param url     {@code duckdb:} (the default file in {@code dataDir}), {@code duckdb:<path>} (relative paths
   *                resolve against {@code dataDir}), or {@code jdbc:postgresql://host:port/database?…}
   * @param dataDir the server's data folder
   */
  public static TelemetryStore open(String url, Path dataDir) {
    return open(url, dataDir, TelemetryStoreSettings.DEFAULTS);
  }

  public static TelemetryStore open(String url, Path dataDir, TelemetryStoreSettings settings) {
    if (url.startsWith(PostgresTelemetryStore.URL_PREFIX)) {
      return PostgresTelemetryStore.open(url, settings, PostgresSettings.DEFAULTS, Clock.systemUTC());
    }
    String path = url.startsWith("jdbc:duckdb:") ? url.substring("jdbc:duckdb:".length())
        : url.startsWith("duckdb:") ? url.substring("duckdb:".length()) : null;
    if (path == null) {
      throw new IllegalArgumentException("The telemetry store URL '" + PostgresTelemetryStore.describe(url)
          + "' is not supported: use duckdb:<file> (embedded) or jdbc:postgresql://host:port/database");
    }
    Path file = path.isEmpty() ? dataDir.resolve(DEFAULT_FILE) : dataDir.resolve(path);
    DuckDbTelemetryStore engine = DuckDbTelemetryStore.open(file, settings);
    return settings.journal()
        ? JournaledTelemetryStore.open(engine, journalFolder(file), JournaledTelemetryStore.Limits.DEFAULTS)
        : engine;
  }

  /** The ingest journal of a DuckDB file: a folder beside it. */
  static Path journalFolder(Path duckDbFile) {
    return duckDbFile.resolveSibling(duckDbFile.getFileName() + ".journal");
  }
}
