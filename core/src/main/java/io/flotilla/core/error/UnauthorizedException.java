package io.flotilla.core.error;

/** No credential, or one that is unknown, expired or revoked. */
public final class UnauthorizedException extends DomainException {
  public UnauthorizedException(String message) {
    super(message);
  }

  @Override
  public String type() {
    return "unauthorized";
  }
}
