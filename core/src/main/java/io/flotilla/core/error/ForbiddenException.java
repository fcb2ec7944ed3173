package io.flotilla.core.error;

/** The caller is authenticated but its role does not allow the action. */
public final class ForbiddenException extends DomainException {
  public ForbiddenException(String message) {
    super(message);
  }

  @Override
  public String type() {
    return "forbidden";
  }
}
