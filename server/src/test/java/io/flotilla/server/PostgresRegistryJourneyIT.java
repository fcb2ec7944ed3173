package io.flotilla.server;

import io.flotilla.store.sql.TemporaryPostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/** The journey on the cluster engine: PostgreSQL on 127.0.0.1:5432, in a database of its own. */
class PostgresRegistryJourneyIT extends RegistryJourneyContract {
  private TemporaryPostgresDatabase database;

  @Override
  Optional<String> dbUrl() {
    database = TemporaryPostgresDatabase.create();
    return Optional.of(database.jdbcUrl());
  }

  @Override
  Connection openDatabase() throws SQLException {
    return DriverManager.getConnection(database.jdbcUrl());
  }

  @AfterEach
  void dropDatabase() {
    if (server != null) {
      server.close();
    }
    database.close();
  }
}
