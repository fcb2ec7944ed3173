package io.flotilla.core.error;

/**
 * The content is well formed but larger or deeper than the platform keeps (HTTP 413): a twin section over its
 * size or depth limit, say. {@link #type()} names which limit ({@code too-large}, {@code too-deep}).
 */
public final class LimitExceededException extends DomainException {
  private final String type;

  public LimitExceededException(String type, String message) {
    super(message);
    this.type = type;
  }

  @Override
  public String type() {
    return type;
  }
}
