package io.flotilla.device;

import java.util.Objects;

/** A telemetry payload waiting in a {@link TelemetryBuffer}, with the sequence number the buffer gave it. */
public record BufferedMessage(long seq, byte[] payload) {
  /** Checks the sequence number (from 1) and the payload. */
  public BufferedMessage {
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be at least 1, was " + seq);
    }
    Objects.requireNonNull(payload, "payload");
  }
}
