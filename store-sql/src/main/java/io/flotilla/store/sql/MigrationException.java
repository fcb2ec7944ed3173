package io.flotilla.store.sql;

/**
 * The database schema cannot be brought to the version this build expects: an applied script was
 * changed, the database is newer than the code, or a script failed. The store refuses to open.
 */
public final class MigrationException extends RuntimeException {
  public MigrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
