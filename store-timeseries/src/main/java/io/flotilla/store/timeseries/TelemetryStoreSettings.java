package io.flotilla.store.timeseries;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings shared by both engines.
 *
 * @param rejectionsPerTenant dead-letter rows kept per tenant; older ones are pruned when new ones arrive
 * @param rollupSlice         how much receiving time one rollup transaction covers, so that no rollup
 *                            transaction runs for long
 * @param journal             DuckDB only: acknowledge appends once they are in an ingest journal beside the file
 *                            ({@link JournaledTelemetryStore}) rather than once DuckDB commits them
 */
public record TelemetryStoreSettings(int rejectionsPerTenant, Duration rollupSlice, boolean journal) {
  public static final TelemetryStoreSettings DEFAULTS =
      new TelemetryStoreSettings(10_000, Duration.ofMinutes(10), true);

  public TelemetryStoreSettings(int rejectionsPerTenant, Duration rollupSlice) {
    this(rejectionsPerTenant, rollupSlice, DEFAULTS.journal());
  }

  public TelemetryStoreSettings withJournal(boolean value) {
    return new TelemetryStoreSettings(rejectionsPerTenant, rollupSlice, value);
  }

  public TelemetryStoreSettings {
    if (rejectionsPerTenant < 1) {
      throw new IllegalArgumentException("rejectionsPerTenant must be positive");
    }
    Objects.requireNonNull(rollupSlice, "rollupSlice");
    if (rollupSlice.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("rollupSlice must be at least one second");
    }
  }
}
