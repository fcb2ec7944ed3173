package io.flotilla.store.sql;

import io.flotilla.core.store.RegistryStore;
import java.util.Objects;

/** Opens the registry store that a JDBC URL names. */
public final class RegistryStores {
  private static final String FORMS = "jdbc:sqlite:<file> (for example jdbc:sqlite:/var/lib/flotilla/registry.db) "
      + "or jdbc:postgresql://<host>:<port>/<database>?user=<user> (for example "
      + "jdbc:postgresql://db:5432/flotilla?user=flotilla)";

  private RegistryStores() {}

  /**
   * Opens and migrates the store: SQLite for {@code jdbc:sqlite:}, PostgreSQL for {@code jdbc:postgresql:}.
   *
   * @throws IllegalArgumentException for any other URL
   * @throws MigrationException when the schema cannot be brought to this build's version
   */
  public static RegistryStore open(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (jdbcUrl.startsWith(SqliteRegistryStore.URL_PREFIX)) {
      return SqliteRegistryStore.open(jdbcUrl);
    }
    if (jdbcUrl.startsWith(PostgresRegistryStore.URL_PREFIX)) {
      return PostgresRegistryStore.open(jdbcUrl);
    }
    if (jdbcUrl.isBlank()) {
      throw new IllegalArgumentException("FLOTILLA_DB_URL is empty; set it to " + FORMS);
    }
    throw new IllegalArgumentException("FLOTILLA_DB_URL must be " + FORMS + ", but it starts with '"
        + scheme(jdbcUrl) + "'");
  }

  /** The URL without its query and credentials, fit for logs and error messages. */
  static String describe(String jdbcUrl) {
    String described = jdbcUrl;
    int query = described.indexOf('?');
    if (query >= 0) {
      described = described.substring(0, query);
    }
    int at = described.lastIndexOf('@');
    int hostStart = described.indexOf("//");
    if (at >= 0 && hostStart >= 0 && at > hostStart) {
      described = described.substring(0, hostStart + 2) + described.substring(at + 1);
    }
    return described;
  }

  // Only the scheme: the rest of a URL may hold a password.
  private static String scheme(String url) {
    int first = url.indexOf(':');
    if (first < 0) {
      return url.length() <= 12 ? url : url.substring(0, 12) + "…";
    }
    int second = url.startsWith("jdbc:") ? url.indexOf(':', first + 1) : -1;
    return url.substring(0, (second > 0 ? second : first) + 1);
  }
}
