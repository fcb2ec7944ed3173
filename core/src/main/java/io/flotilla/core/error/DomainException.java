package io.flotilla.core.error;

/**
 * A refusal the caller can act on. Each subclass maps to one HTTP status and one problem type,
 * so that adapters (REST, MQTT) translate it without guessing.
 */
public abstract sealed class DomainException extends RuntimeException
    permits NotFoundException, ConflictException, ForbiddenException, UnauthorizedException,
        ValidationException, StaleVersionException, RowsRejectedException, LimitExceededException {

  protected DomainException(String message) {
    super(message, null, false, false);
  }

  /** A short stable slug naming the kind of problem, used in the problem+json type URI. */
  public abstract String type();
}
