package io.flotilla.core.service;

import io.flotilla.core.device.RetentionPolicy;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.FieldReader;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a profile's {@code retention}: an object with any of {@code rawDays}, {@code minuteDays} and
 * {@code hourDays}. A tier left out takes the default's value, so that a merge patch of one tier onto a
 * profile that shows the default gives what the caller saw plus the change.
 */
final class RetentionFields {
  static final String FIELD = "retention";
  private static final Set<String> TIERS = Set.of("rawDays", "minuteDays", "hourDays");

  private RetentionFields() {}

  /**
   * The retention the caller chose; empty when there is none ({@code null} or absent: the profile follows the
   * default) or when it is wrong, with the problems left in the reader.
   */
  static Optional<RetentionPolicy> read(FieldReader r) {
    Optional<FieldReader> nested = r.nested(FIELD, TIERS);
    if (nested.isEmpty()) {
      return Optional.empty();
    }
    FieldReader tiers = nested.get();
    Map<String, Optional<Long>> sent = Map.of("rawDays", tiers.integer("rawDays"),
        "minuteDays", tiers.integer("minuteDays"), "hourDays", tiers.integer("hourDays"));
    if (TIERS.stream().anyMatch(tiers::hasErrorAt)) {
      return Optional.empty();
    }
    RetentionPolicy defaults = RetentionPolicy.DEFAULT;
    try {
      return Optional.of(new RetentionPolicy(sent.get("rawDays").orElse(defaults.rawDays()),
          sent.get("minuteDays").orElse(defaults.minuteDays()), sent.get("hourDays").orElse(defaults.hourDays())));
    } catch (ValidationException e) {
      e.errors().forEach(error -> tiers.error(error.field(), sent.get(error.field()).isPresent() ? error.message()
          : error.message() + "; it was left out, so it has the default: send a value that fits"));
      return Optional.empty();
    }
  }
}
