package io.flotilla.core.store;

/** The store failed for a reason the caller cannot fix (I/O, lost connection); maps to 503. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
