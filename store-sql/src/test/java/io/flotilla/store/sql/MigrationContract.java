package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.device;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.device.DeviceId;
import io.flotilla.core.store.RegistryTx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

public abstract class MigrationContract extends ContractPart {

  /** Opening the same database again applies nothing twice and keeps the data. */
  @Test
  void reopeningAppliesEachMigrationOnceAndKeepsTheData() throws SQLException {
    inWrite(tx -> tx.devices().insert(device(ACME, "dev-1")));
    subject().reopen();
    subject().reopen();

    assertThat(read((RegistryTx tx) -> tx.devices().find(ACME, new DeviceId("dev-1")))).isPresent();
    List<Migration> scripts = Migration.load(MigrationRunner.REGISTRY_SCRIPTS, Dialect.SQLITE);
    assertThat(queryLong("SELECT COUNT(*) FROM schema_history")).isEqualTo(scripts.size());
    assertThat(queryLong("SELECT MAX(version) FROM schema_history")).isEqualTo(scripts.getLast().version());
  }

  /** A database whose applied script no longer matches the code is refused, naming the script. */
  @Test
  void changedChecksumOfAnAppliedScriptIsRefused() throws SQLException {
    store().close();
    execute("UPDATE schema_history SET checksum = 'edited' WHERE version = 1");

    assertThatThrownBy(() -> RegistryStores.open(subject().jdbcUrl())).isInstanceOf(MigrationException.class)
        .hasMessageContaining("V1__init.sql").hasMessageContaining("changed after it was applied");
  }

  /** A database migrated by a newer build is refused rather than used with an older schema's SQL. */
  @Test
  void databaseNewerThanTheCodeIsRefused() throws SQLException {
    store().close();
    execute("INSERT INTO schema_history (version, description, checksum, applied_at) VALUES (99, 'future', 'x', 0)");

    assertThatThrownBy(() -> RegistryStores.open(subject().jdbcUrl())).isInstanceOf(MigrationException.class)
        .hasMessageContaining("schema version 99").hasMessageContaining("FLOTILLA_DB_URL");
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(subject().jdbcUrl());
        Statement statement = connection.createStatement()) {
      statement.executeUpdate(sql);
    }
  }

  private long queryLong(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(subject().jdbcUrl());
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }
}
