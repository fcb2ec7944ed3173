package io.flotilla.core.telemetry;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The door's verdict on one payload: every reading accepted, or the whole payload refused. A batch is
 * all or nothing, as one MQTT PUBACK or one HTTP response answers the whole message.
 */
public sealed interface TelemetryCheck {

  /** Readings in the order the device sent them; never empty. */
  record Accepted(List<Reading> readings) implements TelemetryCheck {
    public Accepted {
      readings = List.copyOf(readings);
      if (readings.isEmpty()) {
        throw new IllegalArgumentException("an accepted payload has at least one reading");
      }
    }

    /** How many points the readings make: one per value. */
    public int pointCount() {
      int count = 0;
      for (Reading reading : readings) {
        count += reading.values().size();
      }
      return count;
    }

    public List<TelemetryPoint> toPoints(TenantId tenant, String deviceId, String profileId, Instant receivedAt) {
      return Reading.toPoints(tenant, deviceId, profileId, readings, receivedAt);
    }
  }

  /**
   * A refused payload.
   *
   * @param reason     the first violation as one short line (at most {@link #MAX_REASON_CHARS}), fit for an
   *                   MQTT 5 reason string and the dead-letter record
   * @param violations every violation found, in payload order, for an HTTP 422 problem; never empty
   */
  record Rejected(String reason, List<TelemetryViolation> violations) implements TelemetryCheck {
    public static final int MAX_REASON_CHARS = 120;

    public Rejected {
      Objects.requireNonNull(reason, "reason");
      violations = List.copyOf(violations);
      if (violations.isEmpty()) {
        throw new IllegalArgumentException("a rejection has at least one violation");
      }
    }

    public static Rejected of(List<TelemetryViolation> violations) {
      return new Rejected(violations.get(0).text(MAX_REASON_CHARS), violations);
    }

    public static Rejected of(TelemetryViolation violation) {
      return of(List.of(violation));
    }
  }
}
