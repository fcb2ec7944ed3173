package io.flotilla.api;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Typed query parameters with errors that name the parameter. */
final class QueryParams {
  private QueryParams() {}

  static Optional<String> string(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  static int limit(Context ctx, int defaultValue, int max) {
    Optional<String> value = string(ctx, "limit");
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      int limit = Integer.parseInt(value.get());
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new BadRequestException("query parameter 'limit' must be an integer from 1 to " + max);
  }

  /** Exactly {@code true} or {@code false}; anything else is refused rather than read as false. */
  static Optional<Boolean> bool(Context ctx, String name) {
    Optional<String> value = string(ctx, name);
    if (value.isEmpty() || value.get().equals("true") || value.get().equals("false")) {
      return value.map(Boolean::parseBoolean);
    }
    throw new BadRequestException("query parameter '" + name + "' must be true or false, got '" + value.get() + "'");
  }

  static Optional<Instant> instant(Context ctx, String name) {
    try {
      return string(ctx, name).map(Instant::parse);
    } catch (DateTimeParseException e) {
      throw new BadRequestException("query parameter '" + name + "' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
  }

  static Optional<Long> positiveLong(Context ctx, String name) {
    try {
      Optional<Long> value = string(ctx, name).map(Long::parseLong);
      if (value.isPresent() && value.get() < 1) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new BadRequestException("query parameter '" + name + "' must be a positive integer");
    }
  }
}
