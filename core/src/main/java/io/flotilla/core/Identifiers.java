package io.flotilla.core;

import io.flotilla.core.error.ValidationException;
import java.util.regex.Pattern;

/**
 * The rules for ids that users choose. Ids travel in URLs and MQTT topics, so they must not
 * contain '/', '+', '#', whitespace or anything that needs escaping.
 */
public final class Identifiers {
  /** Device, profile and group ids: letters, digits and {@code . _ : -}, up to 128, starting alphanumeric. */
  public static final Pattern ENTITY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  /** Tenant ids are DNS-label-like, because they may appear in host names and file names. */
  public static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private Identifiers() {}

  public static String requireEntityId(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new ValidationException(field, "is required");
    }
    if (!ENTITY_ID.matcher(value).matches()) {
      throw new ValidationException(field, describeInvalid(value));
    }
    return value;
  }

  /** Why {@code value} is refused as an id, for error messages. */
  public static String describeInvalid(String value) {
    return "'" + abbreviate(value)
        + "' is not a valid id: use 1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit";
  }

  public static boolean isEntityId(String value) {
    return value != null && ENTITY_ID.matcher(value).matches();
  }

  static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "…";
  }
}
