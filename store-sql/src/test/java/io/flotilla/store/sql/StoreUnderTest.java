package io.flotilla.store.sql;

import io.flotilla.core.store.RegistryStore;

/** The store a contract part runs against, and the database behind it. */
public interface StoreUnderTest {
  RegistryStore store();

  /** The JDBC URL of this test's own database. */
  String jdbcUrl();

  /** Closes the store and opens a new one on the same database, as a restart would. */
  RegistryStore reopen();
}
