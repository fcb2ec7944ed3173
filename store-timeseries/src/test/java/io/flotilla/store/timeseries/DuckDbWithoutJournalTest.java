package io.flotilla.store.timeseries;

import io.flotilla.core.telemetry.TelemetryStore;

/** The contract on DuckDB alone, acknowledging at DuckDB's commit (the journal switched off). */
class DuckDbWithoutJournalTest extends DuckDbTelemetryStoreTest {
  @Override
  protected TelemetryStore open(TelemetryStoreSettings settings) {
    TelemetryStore store = TelemetryStores.open("duckdb:", dataDir, settings.withJournal(false));
    if (store instanceof JournaledTelemetryStore) {
      throw new AssertionError("the journal was not switched off");
    }
    return store;
  }
}
