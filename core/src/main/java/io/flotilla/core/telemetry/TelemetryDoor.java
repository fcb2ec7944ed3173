package io.flotilla.core.telemetry;

import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.error.FieldError;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.telemetry.TelemetryCheck.Accepted;
import io.flotilla.core.telemetry.TelemetryCheck.Rejected;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The check every telemetry payload passes at the door, whatever the transport: parse and limits
 * ({@link TelemetryParser}), then the device profile's schema ({@link TelemetrySchema}) on each reading.
 * Thread-safe; one instance serves every connection.
 *
 * <p>Callers map the verdict: MQTT answers a {@link Rejected} with PUBACK 0x99 (payload format invalid)
 * and {@link Rejected#reason()} as reason string; HTTP with a 422 problem listing
 * {@link Rejected#violations()}. A batch is accepted whole or refused whole.
 */
public final class TelemetryDoor {
  /** Schema violations reported for one payload at most, so a bad batch cannot make a huge response. */
  public static final int MAX_VIOLATIONS = 100;

  private final TelemetryParser parser;
  private final TelemetrySchemas schemas;

  public TelemetryDoor(TelemetryLimits limits, TelemetrySchemas schemas) {
    this.parser = new TelemetryParser(limits);
    this.schemas = schemas;
  }

  /** Checks a payload from a device of {@code profile}, received at {@code receivedAt} (server clock). */
  public TelemetryCheck check(DeviceProfile profile, byte[] payload, Instant receivedAt) {
    Optional<TelemetrySchema> schema;
    try {
      schema = schemas.of(profile);
    } catch (ValidationException e) {
      FieldError first = e.errors().get(0);
      return Rejected.of(new TelemetryViolation("", "device profile '" + profile.id()
          + "' has a telemetry schema that does not compile; an operator must fix it: " + first.message()));
    }
    return check(schema, payload, receivedAt);
  }

  /** Checks a payload against a schema already at hand (or none). */
  public TelemetryCheck check(Optional<TelemetrySchema> schema, byte[] payload, Instant receivedAt) {
    if (schema.isEmpty()) {
      return parser.parse(payload, receivedAt);
    }
    TelemetryParser.ReadingTrees trees = new TelemetryParser.ReadingTrees();
    TelemetryCheck parsed = parser.parse(payload, receivedAt, trees);
    if (!(parsed instanceof Accepted accepted)) {
      return parsed;
    }
    List<TelemetryViolation> violations = List.of();
    for (int i = 0; i < trees.readings.size() && violations.size() < MAX_VIOLATIONS; i++) {
      List<TelemetryViolation> found = schema.get().validate(trees.readings.get(i), trees.batch ? "/" + i : "");
      if (!found.isEmpty()) {
        if (violations.isEmpty()) {
          violations = new ArrayList<>();
        }
        violations.addAll(found.subList(0, Math.min(found.size(), MAX_VIOLATIONS - violations.size())));
      }
    }
    return violations.isEmpty() ? accepted : Rejected.of(violations);
  }
}
