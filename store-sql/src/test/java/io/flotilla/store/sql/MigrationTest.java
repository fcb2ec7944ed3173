package io.flotilla.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationTest {

  /** Scripts split at lines ending with ';', and comment lines are dropped. */
  @Test
  void scriptSplitsIntoStatementsAtLineEndingSemicolons() {
    String script = """
        -- a comment; with a semicolon
        CREATE TABLE a (
          id TEXT -- trailing words stay
        );

        CREATE INDEX a_id ON a (id);
        INSERT INTO a VALUES ('x;y')""";
    assertThat(Migration.statements(script)).containsExactly(
        "CREATE TABLE a (\n  id TEXT -- trailing words stay\n)",
        "CREATE INDEX a_id ON a (id)",
        "INSERT INTO a VALUES ('x;y')");
  }

  /** The registry scripts load in version order, and each engine gets its own expansion and checksum. */
  @Test
  void registryScriptsLoadPerEngine() {
    List<Migration> sqlite = Migration.load(MigrationRunner.REGISTRY_SCRIPTS, Dialect.SQLITE);
    List<Migration> postgres = Migration.load(MigrationRunner.REGISTRY_SCRIPTS, Dialect.POSTGRESQL);

    assertThat(sqlite).extracting(Migration::version).startsWith(1).isSorted().doesNotHaveDuplicates();
    assertThat(postgres).extracting(Migration::script).containsExactlyElementsOf(
        sqlite.stream().map(Migration::script).toList());
    assertThat(sqlite.get(0).script()).isEqualTo("V1__init.sql");
    assertThat(sqlite.get(0).description()).isEqualTo("init");
    assertThat(String.join("\n", sqlite.get(0).statements())).doesNotContain("${").doesNotContain("COLLATE");
    assertThat(String.join("\n", postgres.get(0).statements())).contains("TEXT COLLATE \"C\"");
    assertThat(sqlite.get(0).checksum()).hasSize(64).isNotEqualTo(postgres.get(0).checksum());
  }

  /** Binary columns are BLOB on SQLite and BYTEA on PostgreSQL, from one shared script. */
  @Test
  void bytesPlaceholderExpandsPerEngine() {
    Migration sqlite = script(Dialect.SQLITE, "V3__broker_state.sql");
    Migration postgres = script(Dialect.POSTGRESQL, "V3__broker_state.sql");

    assertThat(String.join("\n", sqlite.statements())).contains("payload BLOB NOT NULL").doesNotContain("${");
    assertThat(String.join("\n", postgres.statements())).contains("payload BYTEA NOT NULL").doesNotContain("${");
  }

  private static Migration script(Dialect dialect, String name) {
    return Migration.load(MigrationRunner.REGISTRY_SCRIPTS, dialect).stream()
        .filter(m -> m.script().equals(name)).findFirst().orElseThrow();
  }

  /**
   * A version may be missing while the change that owns it is not merged yet (as V8 was, once, beside V9):
   * the runner applies what is there, and the skipped script once it arrives, even after a later one.
   */
  @Test
  void skippedVersionIsAppliedWhenItArrives(@TempDir Path folder) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("gap.db"))) {
      assertThat(new MigrationRunner(Dialect.SQLITE, Migration.load("db/gap-before", Dialect.SQLITE))
          .migrate(connection)).isEqualTo(3);
      assertThat(versions(connection)).containsExactly(1, 3);

      assertThat(new MigrationRunner(Dialect.SQLITE, Migration.load("db/gap-filled", Dialect.SQLITE))
          .migrate(connection)).isEqualTo(3);
      assertThat(versions(connection)).containsExactly(1, 2, 3);
    }
  }

  /** Versions only increase down the index; a script listed after a later one is refused. */
  @Test
  void versionsThatGoBackAreRefused() {
    assertThatThrownBy(() -> Migration.load("db/backwards", Dialect.SQLITE)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("V1__a.sql after version 2");
  }

  private static List<Integer> versions(Connection connection) throws SQLException {
    List<Integer> versions = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT version FROM schema_history ORDER BY version")) {
      while (rows.next()) {
        versions.add(rows.getInt(1));
      }
    }
    return versions;
  }
}
