package io.flotilla.store.timeseries;

import java.time.Instant;

/** The tables keep instants as microseconds since the epoch: compact, exact, and the same on every engine. */
final class EpochMicros {
  static final long MINUTE = 60_000_000L;
  static final long HOUR = 60 * MINUTE;

  private EpochMicros() {
  }

  /** Truncates below the microsecond. */
  static long of(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
