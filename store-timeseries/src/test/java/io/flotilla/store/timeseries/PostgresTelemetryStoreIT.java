package io.flotilla.store.timeseries;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.telemetry.TelemetryStore;
import io.flotilla.core.telemetry.Tier;
import io.flotilla.store.sql.TemporaryPostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on PostgreSQL, in a database created for this run and dropped after it. The store's clock
 * stands at {@link #T0}, so most points of the contract land in daily partitions and the DST points of
 * March and October in the DEFAULT partition: both paths are exercised.
 */
class PostgresTelemetryStoreIT extends TelemetryStoreContract {
  private static final PostgresSettings SETTINGS = new PostgresSettings(4, 35, 2);
  private static TemporaryPostgresDatabase database;

  @BeforeAll
  static void createDatabase() {
    database = TemporaryPostgresDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  @Override
  protected void freshData() {
    database.reset();
  }

  @Override
  protected TelemetryStore open(TelemetryStoreSettings settings) {
    return PostgresTelemetryStore.open(database.jdbcUrl(), settings, SETTINGS, Clock.fixed(T0, ZoneOffset.UTC));
  }

  @Override
  protected void executeDirectly(String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl());
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static long rows(String table) throws SQLException {
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl());
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static boolean exists(String table) throws SQLException {
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl());
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /** The factory opens PostgreSQL for a jdbc:postgresql: URL. */
  @Test
  void factoryOpensPostgresForItsUrl() {
    try (TelemetryStore opened = TelemetryStores.open(database.jdbcUrl(), java.nio.file.Path.of("unused"))) {
      assertThat(opened).isInstanceOf(PostgresTelemetryStore.class);
      assertThat(opened.isReady()).isTrue();
    }
  }

  /** A point near today goes to its day's partition; a far-future one waits in DEFAULT and moves when its day comes. */
  @Test
  void pointsGoToDailyPartitionsAndLeaveDefaultWhenTheirDayGetsOne() throws SQLException {
    Instant future = T0.plus(Duration.ofDays(10));
    store.append(List.of(num("d1", "temp", T0, 1), num("d1", "temp", future, 2)), List.of());
    assertThat(rows("telemetry_points_p20260105")).isEqualTo(1);
    assertThat(rows("telemetry_points_default")).isEqualTo(1);
    try (TelemetryStore later = PostgresTelemetryStore.open(database.jdbcUrl(), TelemetryStoreSettings.DEFAULTS,
        SETTINGS, Clock.fixed(future, ZoneOffset.UTC))) {
      later.append(List.of(num("d1", "temp", future.plusSeconds(1), 3)), List.of());
    }
    assertThat(rows("telemetry_points_p20260115")).isEqualTo(2);
    assertThat(rows("telemetry_points_default")).isZero();
    assertThat(rows("telemetry_points")).isEqualTo(3);
  }

  /** Compaction drops a daily partition that expiry emptied once it is older than the partition window. */
  @Test
  void compactDropsPartitionsThatExpiryEmptied() throws SQLException {
    store.append(List.of(num("d1", "temp", T0, 1)), List.of());
    assertThat(exists("telemetry_points_p20260105")).isTrue();
    try (TelemetryStore later = PostgresTelemetryStore.open(database.jdbcUrl(), TelemetryStoreSettings.DEFAULTS,
        SETTINGS, Clock.fixed(T0.plus(Duration.ofDays(40)), ZoneOffset.UTC))) {
      later.compact();
      assertThat(exists("telemetry_points_p20260105")).as("not empty yet").isTrue();
      later.rollUp(T0.plusSeconds(3600));
      assertThat(later.expire(ACME, "sensor", Tier.RAW, T0.plusSeconds(3600))).isEqualTo(1);
      later.compact();
    }
    assertThat(exists("telemetry_points_p20260105")).isFalse();
    assertThat(exists("telemetry_points_default")).isTrue();
  }
}
