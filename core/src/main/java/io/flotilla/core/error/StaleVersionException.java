package io.flotilla.core.error;

/** An optimistic-concurrency check failed: the caller edited a version that is no longer current. */
public final class StaleVersionException extends DomainException {
  private final long currentVersion;

  public StaleVersionException(String entityType, String id, long expected, long current) {
    super(entityType + " '" + id + "' is at version " + current + ", not " + expected
        + "; read it again and retry with the current ETag");
    this.currentVersion = current;
  }

  public long currentVersion() {
    return currentVersion;
  }

  @Override
  public String type() {
    return "stale-version";
  }
}
