package io.flotilla.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

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

    assertThat(sqlite).extracting(Migration::version)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, sqlite.size()).boxed().toList());
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
}
