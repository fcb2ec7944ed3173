package io.flotilla.store.timeseries;

import io.flotilla.core.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Opaque page cursors: URL-safe Base64 of a tag and the sort values of the last row, so that rows added
 * between pages are neither repeated nor skipped. A cursor of another list is refused.
 */
final class Cursors {
  private Cursors() {
  }

  static String encode(String tag, String... parts) {
    String plain = tag + "\n" + String.join("\n", parts);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** The parts of a cursor made by {@link #encode} with the same tag and number of parts. */
  static List<String> decode(String cursor, String tag, int parts) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] split = plain.split("\n", parts + 1);
      if (split.length == parts + 1 && split[0].equals(tag)) {
        return List.of(split).subList(1, split.length);
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal
    }
    throw new ValidationException("cursor", "is not a cursor of this list; start again without a cursor");
  }

  static long number(String part) {
    try {
      return Long.parseLong(part);
    } catch (NumberFormatException e) {
      throw new ValidationException("cursor", "is not a cursor of this list; start again without a cursor");
    }
  }
}
