package io.flotilla.core.ca;

import io.flotilla.core.device.DeviceCredential;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An active certificate credential whose validity ends soon, and when its {@code certificate.expiring} event was
 * emitted, if it was.
 */
public record ExpiringCredential(DeviceCredential credential, Optional<Instant> warnedAt) {
  public ExpiringCredential {
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(warnedAt, "warnedAt");
    if (credential.notAfter().isEmpty()) {
      throw new IllegalArgumentException("only certificates expire");
    }
  }

  public Instant notAfter() {
    return credential.notAfter().orElseThrow();
  }
}
