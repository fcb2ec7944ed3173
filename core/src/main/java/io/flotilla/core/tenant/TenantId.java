package io.flotilla.core.tenant;

import io.flotilla.core.Identifiers;
import io.flotilla.core.error.ValidationException;

/** A tenant's id: lower-case letters, digits and '-', up to 63 characters. */
public record TenantId(String value) {
  public static final TenantId DEFAULT = new TenantId("default");

  public TenantId {
    if (value == null || !Identifiers.TENANT_ID.matcher(value).matches()) {
      throw new ValidationException("id", "'" + value
          + "' is not a valid tenant id: use 1 to 63 lower-case letters, digits or '-', starting with a letter or digit");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
