package io.flotilla.tools.bench;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What {@code bench ingest} measures, in the order of the table's columns: Flotilla storing on each
 * telemetry engine, then the peer brokers, which acknowledge without storing anything.
 */
enum IngestTarget {
  DUCKDB("Flotilla + DuckDB", Optional.empty()),
  POSTGRESQL("Flotilla + PostgreSQL", Optional.empty()),
  MOSQUITTO("Mosquitto", Optional.of(BrokerKind.MOSQUITTO)),
  HIVEMQ("HiveMQ CE", Optional.of(BrokerKind.HIVEMQ));

  private final String displayName;
  private final Optional<BrokerKind> peer;

  IngestTarget(String displayName, Optional<BrokerKind> peer) {
    this.displayName = displayName;
    this.peer = peer;
  }

  String displayName() {
    return displayName;
  }

  /** The name the command line uses: {@code duckdb}, {@code postgresql}, {@code mosquitto}, {@code hivemq}. */
  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this is Flotilla, which stores what it acknowledges; else a peer broker. */
  boolean stores() {
    return peer.isEmpty();
  }

  /** The peer broker, for a target that is one. */
  Optional<BrokerKind> peer() {
    return peer;
  }

  /** Whether the server under test is a JVM, whose heap can be measured. */
  boolean isJvm() {
    return peer.map(BrokerKind::isJvm).orElse(true);
  }

  /**
   * The targets to measure, in table order: {@code engines} names telemetry engines ({@code duckdb},
   * {@code postgresql} or {@code all}), {@code peers} peer brokers ({@code mosquitto}, {@code hivemq} or
   * {@code none}), in any case.
   *
   * @throws IllegalArgumentException naming the word that is neither, and what would be
   */
  static List<IngestTarget> chosen(List<String> engines, List<String> peers) {
    EnumSet<IngestTarget> chosen = EnumSet.noneOf(IngestTarget.class);
    for (String engine : engines) {
      if (engine.strip().equalsIgnoreCase("all")) {
        chosen.addAll(List.of(DUCKDB, POSTGRESQL));
      } else {
        chosen.add(named(engine, true, "--engine", "all"));
      }
    }
    for (String peer : peers) {
      if (!peer.strip().equalsIgnoreCase("none")) {
        chosen.add(named(peer, false, "--peers", "none"));
      }
    }
    return List.copyOf(chosen);
  }

  private static IngestTarget named(String value, boolean stores, String option, String other) {
    return Arrays.stream(values()).filter(t -> t.stores() == stores)
        .filter(t -> t.wireName().equalsIgnoreCase(value.strip())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(option + ": '" + value + "' is not one of "
            + Arrays.stream(values()).filter(t -> t.stores() == stores).map(IngestTarget::wireName)
                .collect(Collectors.joining(", ")) + ", " + other));
  }
}
