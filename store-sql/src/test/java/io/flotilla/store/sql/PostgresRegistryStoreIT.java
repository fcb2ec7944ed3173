package io.flotilla.store.sql;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The registry contract on PostgreSQL. The run gets its own temporary database on the server of
 * {@code -Dflotilla.test.pg}, emptied before each test (creating a database per test would cost
 * a second each) and dropped at the end.
 */
class PostgresRegistryStoreIT extends RegistryStoreContract {
  private static TemporaryPostgresDatabase database;

  @BeforeAll
  static void createDatabaseForTheRun() {
    database = TemporaryPostgresDatabase.create();
  }

  @AfterAll
  static void dropDatabaseOfTheRun() {
    database.close();
  }

  @Override
  protected String createDatabase() {
    database.reset();
    return database.jdbcUrl();
  }

  @Override
  protected void dropDatabase() {
    // The next test empties the database; the last one's rows go with the database after the run.
  }

  @Override
  protected String expectedEngine() {
    return "postgresql";
  }
}
