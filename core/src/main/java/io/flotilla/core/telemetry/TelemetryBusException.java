package io.flotilla.core.telemetry;

/** Why the bus did not store a batch; the device was not acknowledged and should send again. */
public final class TelemetryBusException extends RuntimeException {

  /** The kinds of failure, which decide what the device is told. */
  public enum Kind {
    /** The bus is far over its limits; try again shortly. */
    OVERLOADED,
    /** The store failed to write the batch even after retries. */
    STORE_FAILED,
    /** The bus is shutting down. */
    CLOSED
  }

  private final Kind kind;

  public TelemetryBusException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
