package io.flotilla.core.error;

/** An optimistic-concurrency check failed: the caller edited a version that is no longer current. */
public final class StaleVersionException extends DomainException {
  public StaleVersionException(String entityType, String id, long expected, long current) {
    super(entityType + " '" + id + "' is at version " + current + ", not " + expected
        + "; read it again and retry with the current ETag");
  }

  /** The version matched when read but another writer changed the entity before this write landed. */
  public StaleVersionException(String entityType, String id) {
    super(entityType + " '" + id + "' was changed by another request meanwhile; read it again and retry");
  }

  @Override
  public String type() {
    return "stale-version";
  }
}
