package io.flotilla.api;

import io.javalin.http.Context;
import java.util.Optional;

/** ETags are entity versions in quotes; If-Match carries the version a caller last read. */
final class ETags {
  private static final long NO_VERSION_MATCHES = -1;

  private ETags() {}

  static String of(long version) {
    return "\"" + version + "\"";
  }

  /**
   * The version named by If-Match: empty when absent or {@code *}. A value that names no
   * version this server issues matches nothing, so the write fails with 412 as HTTP requires.
   */
  static Optional<Long> ifMatch(Context ctx) {
    String header = ctx.header("If-Match");
    if (header == null || header.isBlank() || header.trim().equals("*")) {
      return Optional.empty();
    }
    String value = header.trim();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    try {
      return Optional.of(Long.parseLong(value));
    } catch (NumberFormatException e) {
      return Optional.of(NO_VERSION_MATCHES);
    }
  }
}
