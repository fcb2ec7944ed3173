package io.flotilla.core.error;

import java.util.Objects;

/**
 * One violation, located by a JSON-pointer-like dotted path ({@code tags.site}, {@code id}).
 *
 * @param field path of the offending field; empty for the document as a whole
 * @param message what is wrong and, where it helps, what is allowed
 */
public record FieldError(String field, String message) {
  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }
}
