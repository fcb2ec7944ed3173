package io.flotilla.core.error;

/** The entity does not exist in the caller's tenant (or the caller may not know that it exists). */
public final class NotFoundException extends DomainException {
  public NotFoundException(String entityType, String id) {
    super(entityType + " '" + id + "' was not found");
  }

  @Override
  public String type() {
    return "not-found";
  }
}
