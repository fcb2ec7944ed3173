package io.flotilla.store.timeseries;

import io.flotilla.core.store.StoreException;
import io.flotilla.core.telemetry.TelemetryStore.ExportedFile;
import io.flotilla.core.tenant.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.duckdb.DuckDBConnection;

/**
 * Telemetry in one DuckDB file. One writer connection takes appends one at a time (Appender, one transaction
 * per batch, durable in DuckDB's WAL at commit); a maintenance connection runs rollups and expiry beside it,
 * so appends never wait for them; each read gets a fresh connection duplicated from the same database
 * instance, which costs microseconds.
 */
public final class DuckDbTelemetryStore extends JdbcTelemetryStore {
  static final String POINTS_DDL = "CREATE TABLE IF NOT EXISTS telemetry_points (tenant VARCHAR NOT NULL,"
      + " device_id VARCHAR NOT NULL, profile_id VARCHAR NOT NULL, key VARCHAR NOT NULL, time_us BIGINT NOT NULL,"
      + " received_us BIGINT NOT NULL, kind SMALLINT NOT NULL, value_num DOUBLE, value_bool BOOLEAN,"
      + " value_text VARCHAR, value_json VARCHAR, seq BIGINT NOT NULL)";

  private final Path file;
  private final DuckDBConnection database;
  private final DuckDBConnection writer;
  private final DuckDBConnection maintenance;
  private final Object writerLock = new Object();
  private final Object maintenanceLock = new Object();
  private volatile boolean closed;

  private DuckDbTelemetryStore(Path file, DuckDBConnection database, TelemetryStoreSettings settings)
      throws SQLException {
    super(SqlDialect.DUCKDB, settings, new DuckDbAppenderLoader());
    this.file = file;
    this.database = database;
    this.writer = database.duplicate();
    this.maintenance = database.duplicate();
  }

  /** Opens (creating when missing) the store in {@code file}; its folder is created too. */
  public static DuckDbTelemetryStore open(Path file, TelemetryStoreSettings settings) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      DuckDBConnection database =
          (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
      DuckDbTelemetryStore store = new DuckDbTelemetryStore(file.toAbsolutePath(), database, settings);
      try {
        Transactions.run(store.writer, "create the telemetry tables", c -> {
          TelemetrySchema.create(c, SqlDialect.DUCKDB, List.of(POINTS_DDL));
          store.loadLatest(c);
          return null;
        });
        store.startFlushingLatest();
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
      return store;
    } catch (SQLException e) {
      throw Transactions.failure("open the DuckDB file " + file, e);
    } catch (IOException e) {
      throw new StoreException("Cannot create the folder of the telemetry file " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  <T> T read(String what, SqlWork<T> work) {
    try (Connection connection = database.duplicate()) {
      return Transactions.run(connection, what, work);
    } catch (SQLException e) {
      throw Transactions.failure(what, e);
    }
  }

  @Override
  <T> T write(String what, SqlWork<T> work) {
    synchronized (writerLock) {
      return Transactions.run(writer, what, work);
    }
  }

  @Override
  <T> T maintain(String what, SqlWork<T> work) {
    synchronized (maintenanceLock) {
      return Transactions.run(maintenance, what, work);
    }
  }

  @Override
  <T> T exclusive(String what, SqlWork<T> work) {
    synchronized (maintenanceLock) {
      synchronized (writerLock) {
        return Transactions.run(writer, what, work);
      }
    }
  }

  @Override
  public ExportedFile exportParquet(TenantId tenant, Optional<String> deviceId, Instant from, Instant to,
      Path directory) {
    Path target = ParquetExport.fileFor(directory, tenant, deviceId, from, to);
    return read("export points to " + target, c ->
        ParquetExport.copy(c, POINTS, ParquetExport.where(tenant, deviceId, from, to), target));
  }

  /** Writes the WAL into the file and lets DuckDB reuse the blocks of deleted rows. */
  @Override
  public void compact() {
    synchronized (maintenanceLock) {
      synchronized (writerLock) {
        try (Statement statement = writer.createStatement()) {
          writer.setAutoCommit(true);
          statement.execute("CHECKPOINT");
        } catch (SQLException e) {
          throw Transactions.failure("checkpoint " + file, e);
        }
      }
    }
  }

  @Override
  public long diskBytes() {
    return sizeOf(file) + sizeOf(Path.of(file + ".wal"));
  }

  private static long sizeOf(Path path) {
    try {
      return Files.exists(path) ? Files.size(path) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public boolean isReady() {
    return !closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    stopFlushingLatest();
    closed = true;
    synchronized (maintenanceLock) {
      synchronized (writerLock) {
        for (Connection connection : new Connection[] {maintenance, writer, database}) {
          try {
            connection.close();
          } catch (SQLException e) {
            // closing anyway; nothing to hand the caller
          }
        }
      }
    }
  }
}
