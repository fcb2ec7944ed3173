/**
 * Telemetry: the values devices send, how they are checked at the door ({@link
 * io.flotilla.core.telemetry.TelemetryDoor}: parse and limits, then the profile's JSON Schema), and the
 * port of the time-series store that keeps them ({@link io.flotilla.core.telemetry.TelemetryStore}).
 * Nothing here is null unless typed Optional.
 */
package io.flotilla.core.telemetry;
