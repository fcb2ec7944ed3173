package io.flotilla.device;

/**
 * What happens to a device's connection and telemetry, for dashboards, logs and counters. Every method
 * has an empty default. Called on the SDK's network threads: return quickly and never block.
 */
public interface DeviceListener {
  /** The device connected (or reconnected) and subscribed to its twin and command topics. */
  default void connected() {}

  /** A connection attempt failed or a connection was lost; the SDK retries after {@code retryInMillis}. */
  default void disconnected(String reason, long retryInMillis) {}

  /** The platform acknowledged (stored) the telemetry message {@code seq}; it left the buffer. */
  default void telemetryAcknowledged(long seq) {}

  /**
   * The platform refused the telemetry message {@code seq} for good (MQTT 5 PUBACK 0x99: not JSON, too
   * large, against the profile's schema); it left the buffer and will not be sent again.
   */
  default void telemetryRefused(long seq, String reason) {}

  /** A command arrived and its handler answered. */
  default void commandAnswered(Command command, CommandResult result) {}

  /** The platform refused something else the device sent (a command answer, a subscription). */
  default void refused(String what, String reason) {}
}
