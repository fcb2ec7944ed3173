package io.flotilla.core.store;

/** An insert met an existing primary or unique key; services turn it into a conflict for the caller. */
public final class DuplicateKeyException extends RuntimeException {
  public DuplicateKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
