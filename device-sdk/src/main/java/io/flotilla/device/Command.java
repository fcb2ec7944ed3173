package io.flotilla.device;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A command the platform sent: its id, name, JSON payload (JSON null when none) and expiry. */
public record Command(String id, String name, JsonNode payload, Optional<Instant> expiresAt) {
  /** Checks that nothing is null. */
  public Command {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
