package io.flotilla.core.error;

/** The request is well formed but clashes with the current state (a duplicate id, an entity in use). */
public final class ConflictException extends DomainException {
  public ConflictException(String message) {
    super(message);
  }

  @Override
  public String type() {
    return "conflict";
  }
}
