package io.flotilla.server;

import io.flotilla.store.sql.TemporaryPostgresDatabase;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/** Provisioning jobs, the restart included, on the cluster engine: PostgreSQL on 127.0.0.1:5432. */
class PostgresProvisioningJobIT extends ProvisioningJobIT {
  private TemporaryPostgresDatabase database;

  @Override
  Optional<String> dbUrl() {
    database = TemporaryPostgresDatabase.create();
    return Optional.of(database.jdbcUrl());
  }

  @AfterEach
  void dropDatabase() {
    server.close();
    database.close();
  }
}
