package io.flotilla.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/** The journey on the embedded default: SQLite in the data folder. */
class SqliteRegistryJourneyIT extends RegistryJourneyContract {
  @Override
  Optional<String> dbUrl() {
    return Optional.empty();
  }

  @Override
  Connection openDatabase() throws SQLException {
    return DriverManager.getConnection(server.config().dbUrl());
  }
}
