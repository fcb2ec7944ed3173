package io.flotilla.gateway.tls;

/**
 * The server's TLS identity cannot be set up: a certificate or key file is missing, unreadable or does
 * not match. The message names the file and says how to fix it.
 */
public final class TlsSetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TlsSetupException(String message) {
    super(message);
  }

  public TlsSetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
