/**
 * Telemetry: the values devices send, how they are checked at the door, and the port of the
 * time-series store that keeps them ({@link io.flotilla.core.telemetry.TelemetryStore}).
 */
package io.flotilla.core.telemetry;
