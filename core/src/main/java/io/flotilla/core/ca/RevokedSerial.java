package io.flotilla.core.ca;

import java.time.Instant;
import java.util.Objects;

/** One entry of a CRL: a revoked certificate's serial (upper-case hex) and when it was revoked. */
public record RevokedSerial(String serial, Instant revokedAt) {
  public RevokedSerial {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(revokedAt, "revokedAt");
  }
}
