package io.flotilla.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The registry contract on SQLite, each test with its own database file in a fresh folder. */
class SqliteRegistryStoreTest extends RegistryStoreContract {
  private Path folder;

  @Override
  protected String createDatabase() {
    try {
      folder = Files.createTempDirectory("flotilla-sqlite-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return "jdbc:sqlite:" + folder.resolve("data/registry/registry.db");
  }

  @Override
  protected void dropDatabase() {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected String expectedEngine() {
    return "sqlite";
  }

  /** The file is in WAL mode, so readers and the writer do not block each other. */
  @Test
  void databaseFileIsInWalMode() throws SQLException {
    assertThat(Files.exists(folder.resolve("data/registry/registry.db"))).isTrue();
    try (Connection connection = DriverManager.getConnection(jdbcUrl());
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("PRAGMA journal_mode")) {
      row.next();
      assertThat(row.getString(1)).isEqualTo("wal");
    }
  }
}
