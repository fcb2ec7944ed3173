package io.flotilla.core.service;

import io.flotilla.core.json.FieldReader;
import java.util.Map;
import java.util.regex.Pattern;

/** Rules for the free text and labels that callers attach to entities. */
final class Texts {
  static final int MAX_NAME = 200;
  static final int MAX_DESCRIPTION = 2000;
  static final int MAX_TAGS = 64;
  static final int MAX_TAG_VALUE = 256;
  static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private Texts() {}

  /** Checks a display name: bounded, no control characters. Returns it unchanged. */
  static String name(FieldReader r, String field, String value) {
    return text(r, field, value, MAX_NAME);
  }

  static String description(FieldReader r, String field, String value) {
    return text(r, field, value, MAX_DESCRIPTION);
  }

  static void tags(FieldReader r, String field, Map<String, String> tags) {
    if (tags.size() > MAX_TAGS) {
      r.error(field, "has " + tags.size() + " entries; at most " + MAX_TAGS + " are allowed");
    }
    tags.forEach((key, value) -> {
      if (!TAG_KEY.matcher(key).matches()) {
        r.error(field + "." + key, "is not a valid tag key: use 1 to 64 letters, digits, '.', '_' or '-'");
      } else if (value.length() > MAX_TAG_VALUE || hasControl(value)) {
        r.error(field + "." + key, "must be at most " + MAX_TAG_VALUE + " characters without control characters");
      }
    });
  }

  private static String text(FieldReader r, String field, String value, int max) {
    if (value.length() > max) {
      r.error(field, "is " + value.length() + " characters long; at most " + max + " are allowed");
    } else if (hasControl(value) && max == MAX_NAME) {
      r.error(field, "must not contain control characters");
    }
    return value;
  }

  private static boolean hasControl(String value) {
    return value.chars().anyMatch(Character::isISOControl);
  }
}
