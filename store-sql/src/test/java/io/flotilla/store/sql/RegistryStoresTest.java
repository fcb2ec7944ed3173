package io.flotilla.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.store.RegistryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryStoresTest {

  /** An unsupported URL names the setting and both supported forms, and never echoes credentials. */
  @Test
  void unknownSchemeNamesTheSettingAndTheSupportedForms() {
    assertThatThrownBy(() -> RegistryStores.open("jdbc:mysql://admin:s3cret@db/flotilla"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("FLOTILLA_DB_URL").hasMessageContaining("jdbc:sqlite:")
        .hasMessageContaining("jdbc:postgresql:").hasMessageContaining("'jdbc:mysql:'")
        .message().doesNotContain("s3cret");
    assertThatThrownBy(() -> RegistryStores.open("postgres://u:s3cret@db/x")).message().doesNotContain("s3cret");
    assertThatThrownBy(() -> RegistryStores.open("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("FLOTILLA_DB_URL is empty");
  }

  /** In-memory SQLite would give every connection its own database, so it is refused up front. */
  @Test
  void inMemorySqliteIsRefused() {
    assertThatThrownBy(() -> RegistryStores.open("jdbc:sqlite::memory:")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("FLOTILLA_DB_URL");
    assertThatThrownBy(() -> RegistryStores.open("jdbc:sqlite:")).isInstanceOf(IllegalArgumentException.class);
  }

  /** A SQLite URL opens a SQLite store, creating the file's missing folders. */
  @Test
  void sqliteUrlOpensASqliteStoreAndCreatesItsFolders(@TempDir Path folder) {
    Path file = folder.resolve("a/b/registry.db");
    try (RegistryStore store = RegistryStores.open("jdbc:sqlite:" + file)) {
      assertThat(store).isInstanceOf(SqliteRegistryStore.class);
      assertThat(store.engine()).isEqualTo("sqlite");
      assertThat(Files.exists(file)).isTrue();
    }
  }

  /** Descriptions of URLs for logs keep host and database but drop credentials and parameters. */
  @Test
  void describedUrlsCarryNoCredentials() {
    assertThat(RegistryStores.describe("jdbc:postgresql://db:5432/flotilla?user=f&password=s3cret"))
        .isEqualTo("jdbc:postgresql://db:5432/flotilla");
    assertThat(RegistryStores.describe("jdbc:postgresql://f:s3cret@db/flotilla")).isEqualTo("jdbc:postgresql://db/flotilla");
  }

  /** The temporary database's URL keeps the admin URL's server and parameters. */
  @Test
  void temporaryDatabaseUrlKeepsServerAndParameters() {
    assertThat(TemporaryPostgresDatabase.withDatabase("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres", "t1"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/t1?user=postgres");
    assertThat(TemporaryPostgresDatabase.withDatabase("jdbc:postgresql://h1:1,h2:2/", "t1"))
        .isEqualTo("jdbc:postgresql://h1:1,h2:2/t1");
    assertThat(TemporaryPostgresDatabase.withDatabase("jdbc:postgresql://h", "t1")).isEqualTo("jdbc:postgresql://h/t1");
    assertThat(TemporaryPostgresDatabase.withDatabase("jdbc:postgresql:postgres?user=x", "t1"))
        .isEqualTo("jdbc:postgresql:t1?user=x");
  }
}
