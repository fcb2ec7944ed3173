package io.flotilla.core.ca;

/**
 * A CA's private key cannot be opened: it was sealed with another master key than this server's, or its
 * stored form was altered. Not the caller's fault and not fixed by retrying: the operator must start the
 * server with the right master key. The message names both key ids, never a key.
 */
public final class CaKeyUnavailableException extends RuntimeException {
  public CaKeyUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
