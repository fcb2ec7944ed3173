package io.flotilla.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TemporaryPostgresDatabaseIT {

  /** The database exists under a random test name while open, and is gone after close, even with connections open. */
  @Test
  void databaseExistsUntilClosedAndIsDroppedEvenWithOpenConnections() throws SQLException {
    String adminUrl = System.getProperty(TemporaryPostgresDatabase.ADMIN_URL_PROPERTY,
        TemporaryPostgresDatabase.DEFAULT_ADMIN_URL);
    TemporaryPostgresDatabase database = TemporaryPostgresDatabase.create(adminUrl);
    assertThat(database.name()).matches("flotilla_test_[0-9a-f]{12}");
    try (Connection open = DriverManager.getConnection(database.jdbcUrl())) {
      assertThat(exists(adminUrl, database.name())).isTrue();
      database.close();
      assertThat(open.isValid(2)).isFalse();
    }
    assertThat(exists(adminUrl, database.name())).isFalse();
    database.close();
  }

  /** reset leaves an empty public schema behind. */
  @Test
  void resetEmptiesTheDatabase() throws SQLException {
    try (TemporaryPostgresDatabase database = TemporaryPostgresDatabase.create()) {
      try (Connection connection = DriverManager.getConnection(database.jdbcUrl())) {
        connection.createStatement().execute("CREATE TABLE leftover (id INTEGER)");
      }
      database.reset();
      try (Connection connection = DriverManager.getConnection(database.jdbcUrl());
          ResultSet row = connection.createStatement().executeQuery(
              "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
        row.next();
        assertThat(row.getLong(1)).isZero();
      }
    }
  }

  private static boolean exists(String adminUrl, String name) throws SQLException {
    try (Connection connection = DriverManager.getConnection(adminUrl);
        PreparedStatement select = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      select.setString(1, name);
      try (ResultSet row = select.executeQuery()) {
        return row.next();
      }
    }
  }
}
