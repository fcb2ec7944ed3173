package io.flotilla.core.error;

import java.util.List;

/** The request is syntactically fine but its content breaks the domain's rules (HTTP 422). */
public final class ValidationException extends DomainException {
  private final List<FieldError> errors;

  public ValidationException(List<FieldError> errors) {
    super(summary(errors));
    this.errors = List.copyOf(errors);
  }

  public ValidationException(String field, String message) {
    this(List.of(new FieldError(field, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }

  @Override
  public String type() {
    return "validation";
  }

  private static String summary(List<FieldError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a validation failure needs at least one error");
    }
    FieldError first = errors.get(0);
    String where = first.field().isEmpty() ? "" : first.field() + ": ";
    return errors.size() == 1 ? where + first.message()
        : where + first.message() + " (and " + (errors.size() - 1) + " more)";
  }
}
