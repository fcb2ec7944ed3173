package io.flotilla.store.timeseries;

import io.flotilla.core.store.StoreException;
import io.flotilla.core.telemetry.TelemetryStore.ExportedFile;
import io.flotilla.core.tenant.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Writes raw points to Parquet with DuckDB's {@code COPY … TO … (FORMAT parquet)}, from the store's own table
 * (DuckDB) or from a table in an in-memory DuckDB the rows were streamed into (PostgreSQL). Times are UTC
 * timestamps with microseconds; the value kind is a word.
 */
final class ParquetExport {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private ParquetExport() {
  }

  /** {@code <tenant>-<device or all>-<from>-<to>.parquet}, with characters unsafe in file names replaced. */
  static Path fileFor(Path directory, TenantId tenant, Optional<String> deviceId, Instant from, Instant to) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new StoreException("Cannot create the export folder " + directory + ": " + e.getMessage(), e);
    }
    String device = deviceId.map(d -> d.replaceAll("[^A-Za-z0-9._-]", "_")).orElse("all");
    return directory.resolve(tenant.value() + "-" + device + "-" + STAMP.format(from) + "-" + STAMP.format(to)
        + ".parquet");
  }

  /** The WHERE clause of an export, with literals: COPY takes no parameters. */
  static String where(TenantId tenant, Optional<String> deviceId, Instant from, Instant to) {
    return "tenant = " + literal(tenant.value()) + deviceId.map(d -> " AND device_id = " + literal(d)).orElse("")
        + " AND time_us >= " + EpochMicros.of(from) + " AND time_us < " + EpochMicros.of(to);
  }

  static ExportedFile copy(Connection duckdb, String table, String where, Path file) throws SQLException {
    String select = "SELECT tenant, device_id, profile_id, key, make_timestamp(time_us) AS time,"
        + " make_timestamp(received_us) AS received_at,"
        + " CASE kind WHEN 0 THEN 'number' WHEN 1 THEN 'boolean' WHEN 2 THEN 'string' ELSE 'json' END AS kind,"
        + " value_num, value_bool, value_text, value_json FROM " + table + " WHERE " + where
        + " ORDER BY device_id, time_us, key";
    String target = literal(file.toAbsolutePath().toString());
    try (Statement statement = duckdb.createStatement()) {
      statement.execute("COPY (" + select + ") TO " + target + " (FORMAT parquet, COMPRESSION zstd)");
      try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM read_parquet(" + target + ")")) {
        rs.next();
        return new ExportedFile(file, rs.getLong(1));
      }
    }
  }

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
