package io.flotilla.store.timeseries;

import io.flotilla.core.telemetry.Tier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The 1-minute and 1-hour tiers. A slice of raw points (by receiving time) is aggregated per (tenant, device,
 * profile, key, bucket of reading time) and merged into each tier: counts and sums add, min and max combine,
 * first and last keep the value with the earlier or later time. Merging partial aggregates is associative, so
 * a late point merges into its already rolled bucket exactly as if it had come in time.
 *
 * <p>PostgreSQL merges with {@code INSERT … ON CONFLICT} on the tier's primary key (any version since 9.5);
 * DuckDB with {@code MERGE INTO}, so that its rollup tables need no ART index, which would cost more disk
 * than the rollup rows themselves. The combining expressions are the same.
 */
final class Rollups {
  static final String WATERMARK = "rolled_up_to_us";
  private static final String COLUMNS = "tenant, device_id, profile_id, key, bucket_us, count_num, sum_num, min_num,"
      + " max_num, first_num, first_us, last_num, last_us";

  private final SqlDialect dialect;

  Rollups(SqlDialect dialect) {
    this.dialect = dialect;
  }

  static String table(Tier tier) {
    return switch (tier) {
      case MINUTE -> "telemetry_rollup_1m";
      case HOUR -> "telemetry_rollup_1h";
      case RAW -> throw new IllegalArgumentException("raw points have no rollup table");
    };
  }

  /** The earliest receiving time at or after {@code from} and before {@code before}, or -1 when there is none. */
  static long nextReceived(Connection connection, long from, long before) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT min(received_us) FROM telemetry_points WHERE received_us >= ? AND received_us < ?")) {
      statement.setLong(1, from);
      statement.setLong(2, before);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        long next = rs.getLong(1);
        return rs.wasNull() ? -1 : next;
      }
    }
  }

  /** Rolls the numeric points received in {@code [from, to)} into both tiers; returns how many there were. */
  long rollSlice(Connection connection, long from, long to) throws SQLException {
    long points;
    try (PreparedStatement count = connection.prepareStatement(
        "SELECT count(*) FROM telemetry_points WHERE kind = 0 AND received_us >= ? AND received_us < ?")) {
      count.setLong(1, from);
      count.setLong(2, to);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        points = rs.getLong(1);
      }
    }
    if (points > 0) {
      merge(connection, Tier.MINUTE, from, to);
      merge(connection, Tier.HOUR, from, to);
    }
    return points;
  }

  private void merge(Connection connection, Tier tier, long from, long to) throws SQLException {
    long width = tier.resolution().toNanos() / 1_000;
    String t = table(tier);
    String bucket = "time_us - (((time_us % " + width + ") + " + width + ") % " + width + ")";
    String slice = "SELECT tenant, device_id, profile_id, key, " + bucket + " AS bucket_us, count(*) AS count_num,"
        + " sum(value_num) AS sum_num, min(value_num) AS min_num, max(value_num) AS max_num, "
        + dialect.firstBy("value_num", "time_us") + " AS first_num, min(time_us) AS first_us, "
        + dialect.lastBy("value_num", "time_us") + " AS last_num, max(time_us) AS last_us"
        + " FROM telemetry_points WHERE kind = 0 AND received_us >= ? AND received_us < ? GROUP BY 1, 2, 3, 4, 5";
    String combine = " count_num = " + t + ".count_num + excluded.count_num,"
        + " sum_num = " + t + ".sum_num + excluded.sum_num,"
        + " min_num = LEAST(" + t + ".min_num, excluded.min_num),"
        + " max_num = GREATEST(" + t + ".max_num, excluded.max_num),"
        + " first_num = CASE WHEN excluded.first_us < " + t + ".first_us THEN excluded.first_num ELSE " + t
        + ".first_num END,"
        + " first_us = LEAST(" + t + ".first_us, excluded.first_us),"
        + " last_num = CASE WHEN excluded.last_us >= " + t + ".last_us THEN excluded.last_num ELSE " + t
        + ".last_num END,"
        + " last_us = GREATEST(" + t + ".last_us, excluded.last_us)";
    String sql = dialect == SqlDialect.POSTGRES
        ? "INSERT INTO " + t + " (" + COLUMNS + ") " + slice
            + " ON CONFLICT (tenant, device_id, key, bucket_us, profile_id) DO UPDATE SET" + combine
        : "MERGE INTO " + t + " USING (" + slice + ") AS excluded ON " + t + ".tenant = excluded.tenant AND " + t
            + ".device_id = excluded.device_id AND " + t + ".key = excluded.key AND " + t
            + ".bucket_us = excluded.bucket_us AND " + t + ".profile_id = excluded.profile_id"
            + " WHEN MATCHED THEN UPDATE SET" + combine
            + " WHEN NOT MATCHED THEN INSERT (" + COLUMNS + ") VALUES (excluded." + COLUMNS.replace(", ", ", excluded.")
            + ")";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, from);
      statement.setLong(2, to);
      statement.executeUpdate();
    }
  }

  static long watermark(Connection connection, boolean forUpdate) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT value FROM telemetry_state WHERE name = '" + WATERMARK + "'" + (forUpdate ? " FOR UPDATE" : ""))) {
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  static void advance(Connection connection, long to) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "UPDATE telemetry_state SET value = ? WHERE name = '" + WATERMARK + "'")) {
      statement.setLong(1, to);
      statement.executeUpdate();
    }
  }
}
