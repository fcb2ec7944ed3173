package io.flotilla.store.timeseries;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flotilla.core.store.StoreException;
import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.tenant.TenantId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.duckdb.DuckDBConnection;

/**
 * Telemetry in PostgreSQL: raw points in a table partitioned by day, written with COPY; rollups, latest
 * values, rejections and the rollup watermark in plain tables. Every call takes a pooled connection, so
 * appends, rollups and reads run side by side; rollups of several nodes take turns on the watermark row.
 */
public final class PostgresTelemetryStore extends JdbcTelemetryStore {
  public static final String URL_PREFIX = "jdbc:postgresql:";
  private static final int EXPORT_CHUNK = 10_000;

  private final HikariDataSource pool;
  private final PostgresPartitions partitions;

  private PostgresTelemetryStore(HikariDataSource pool, TelemetryStoreSettings settings, PostgresPartitions partitions) {
    super(SqlDialect.POSTGRES, settings, new PostgresCopyLoader());
    this.pool = pool;
    this.partitions = partitions;
  }

  public static PostgresTelemetryStore open(String url, TelemetryStoreSettings settings,
      PostgresSettings postgres, Clock clock) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(postgres.poolSize());
    config.setPoolName("flotilla-telemetry");
    config.setAutoCommit(false);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("Cannot connect to the telemetry database at " + describe(url) + ": "
          + e.getMessage(), e);
    }
    PostgresTelemetryStore store = new PostgresTelemetryStore(pool, settings, new PostgresPartitions(postgres, clock));
    try {
      store.write("create the telemetry tables", c -> {
        try (Statement statement = c.createStatement()) {
          statement.execute("SELECT pg_advisory_xact_lock(7263000)");
        }
        TelemetrySchema.create(c, SqlDialect.POSTGRES, PostgresPartitions.DDL);
        store.loadLatest(c);
        return null;
      });
      store.startFlushingLatest();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return store;
  }

  /** The URL without its parameters, which may hold a password. */
  static String describe(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  private <T> T onPooled(String what, SqlWork<T> work) {
    try (Connection connection = pool.getConnection()) {
      return Transactions.run(connection, what, work);
    } catch (SQLException e) {
      throw Transactions.failure(what, e);
    }
  }

  @Override
  <T> T read(String what, SqlWork<T> work) {
    return onPooled(what, work);
  }

  @Override
  <T> T write(String what, SqlWork<T> work) {
    return onPooled(what, work);
  }

  @Override
  <T> T maintain(String what, SqlWork<T> work) {
    return onPooled(what, work);
  }

  @Override
  <T> T exclusive(String what, SqlWork<T> work) {
    return onPooled(what, work);
  }

  @Override
  void beforeAppend(List<TelemetryPoint> points) {
    for (long day : partitions.missingFor(points)) {
      onPooled("create the partition of day " + day, c -> {
        partitions.create(c, day);
        return null;
      });
      partitions.markReady(day);
    }
  }

  /**
   * Streams the rows into an in-memory DuckDB with its Appender and lets DuckDB write the Parquet file, so
   * this engine needs no Parquet library of its own.
   */
  @Override
  public ExportedFile exportParquet(TenantId tenant, Optional<String> deviceId, Instant from, Instant to,
      Path directory) {
    Path target = ParquetExport.fileFor(directory, tenant, deviceId, from, to);
    String where = ParquetExport.where(tenant, deviceId, from, to);
    try (DuckDBConnection duckdb = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement statement = duckdb.createStatement()) {
        statement.execute(DuckDbTelemetryStore.POINTS_DDL);
      }
      DuckDbAppenderLoader appender = new DuckDbAppenderLoader();
      read("export points to " + target, c -> {
        try (PreparedStatement select = c.prepareStatement("SELECT " + String.join(", ", POINT_COLUMNS)
            + " FROM " + POINTS + " WHERE " + where)) {
          select.setFetchSize(EXPORT_CHUNK);
          try (ResultSet rs = select.executeQuery()) {
            List<Object[]> chunk = new ArrayList<>(EXPORT_CHUNK);
            while (rs.next()) {
              chunk.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                  rs.getLong(5), rs.getLong(6), rs.getShort(7), (Double) rs.getObject(8), (Boolean) rs.getObject(9),
                  rs.getString(10), rs.getString(11), rs.getLong(12)});
              if (chunk.size() == EXPORT_CHUNK) {
                appender.load(duckdb, POINTS, POINT_COLUMNS, chunk);
                chunk.clear();
              }
            }
            appender.load(duckdb, POINTS, POINT_COLUMNS, chunk);
          }
        }
        return null;
      });
      return ParquetExport.copy(duckdb, POINTS, where, target);
    } catch (SQLException e) {
      throw Transactions.failure("export points to " + target, e);
    }
  }

  /**
   * Drops daily partitions that expiry emptied, then VACUUM (ANALYZE) of every telemetry table (VACUUM cannot
   * run inside a transaction).
   */
  @Override
  public void compact() {
    maintain("drop emptied partitions", partitions::dropEmptyBeforeWindow);
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      for (String table : List.of(POINTS, "telemetry_rollup_1m", "telemetry_rollup_1h", "telemetry_latest",
          "telemetry_rejected", "telemetry_state")) {
        statement.execute("VACUUM (ANALYZE) " + table);
      }
    } catch (SQLException e) {
      throw Transactions.failure("vacuum the telemetry tables", e);
    }
  }

  @Override
  public long diskBytes() {
    return read("measure the telemetry tables", c -> {
      try (PreparedStatement statement = c.prepareStatement("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)"
          + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE c.relkind = 'r' AND c.relname LIKE 'telemetry\\_%' AND n.nspname = current_schema()");
          ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Override
  public boolean isReady() {
    if (pool.isClosed()) {
      return false;
    }
    try (Connection connection = pool.getConnection()) {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    stopFlushingLatest();
    pool.close();
  }
}
