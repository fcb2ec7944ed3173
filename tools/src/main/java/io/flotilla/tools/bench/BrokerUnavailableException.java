package io.flotilla.tools.bench;

/**
 * A broker could not be started or measured; the message says why in one sentence, and the
 * benchmark shows the broker as unavailable and goes on with the others.
 */
final class BrokerUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  BrokerUnavailableException(String message) {
    super(message);
  }

  BrokerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
