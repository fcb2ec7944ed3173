/** Telemetry on DuckDB and PostgreSQL behind {@link io.flotilla.core.telemetry.TelemetryStore}. */
package io.flotilla.store.timeseries;
