package io.flotilla.device;

/**
 * The platform refused a twin operation: {@code code} is the HTTP-like status (400, 404, 409, 413,
 * 422), {@code error} the kebab-case reason ({@code stale-version}, {@code too-large}, …).
 */
public final class TwinRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int code;
  private final String error;

  /** A rejection as the platform sent it. */
  public TwinRejectedException(int code, String error, String message) {
    super(error + " (" + code + "): " + message);
    this.code = code;
    this.error = error;
  }

  /** The HTTP-like status: 400, 404, 409, 413 or 422. */
  public int code() {
    return code;
  }

  /** The kebab-case reason, e.g. {@code stale-version}. */
  public String error() {
    return error;
  }
}
