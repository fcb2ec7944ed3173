package io.flotilla.tools.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The telemetry engines the query benchmark runs on, by the names its command line uses. */
enum QueryEngine {
  DUCKDB, POSTGRESQL;

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code duckdb}, {@code postgresql} or {@code all}, in any case; empty for anything else. */
  static Optional<List<QueryEngine>> parse(String value) {
    String name = value.strip();
    if (name.equalsIgnoreCase("all")) {
      return Optional.of(List.of(values()));
    }
    return Arrays.stream(values()).filter(e -> e.wireName().equalsIgnoreCase(name)).findFirst().map(List::of);
  }
}
