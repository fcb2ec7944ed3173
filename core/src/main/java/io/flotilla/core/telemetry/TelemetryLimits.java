package io.flotilla.core.telemetry;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds a telemetry payload must keep at the door. Each one protects the pipeline and the store
 * from one kind of oversized or hostile input; a payload over any of them is refused with a reason
 * naming the limit.
 *
 * @param maxPayloadBytes bytes of one payload (MQTT message or HTTP body)
 * @param maxReadings     readings in one batched payload (a JSON array of reading objects)
 * @param maxKeys         values in one reading, after nested objects are flattened
 * @param maxKeyLength    characters of one flattened key ({@code engine.temp})
 * @param maxValueBytes   UTF-8 bytes of one string value, and of the JSON text of one array value
 * @param maxDepth        nesting of a reading: the reading object is level 1, an object or array in it 2, …
 * @param maxAhead        how far a device's {@code ts} may lie ahead of the server clock (clock skew)
 */
public record TelemetryLimits(int maxPayloadBytes, int maxReadings, int maxKeys, int maxKeyLength,
    int maxValueBytes, int maxDepth, Duration maxAhead) {

  public static final TelemetryLimits DEFAULT =
      new TelemetryLimits(64 * 1024, 1000, 1000, 255, 8 * 1024, 10, Duration.ofHours(1));

  public TelemetryLimits {
    positive("maxPayloadBytes", maxPayloadBytes);
    positive("maxReadings", maxReadings);
    positive("maxKeys", maxKeys);
    positive("maxKeyLength", maxKeyLength);
    positive("maxValueBytes", maxValueBytes);
    positive("maxDepth", maxDepth);
    Objects.requireNonNull(maxAhead, "maxAhead");
    if (maxAhead.isNegative()) {
      throw new IllegalArgumentException("maxAhead must not be negative");
    }
  }

  public TelemetryLimits withMaxPayloadBytes(int bytes) {
    return new TelemetryLimits(bytes, maxReadings, maxKeys, maxKeyLength, maxValueBytes, maxDepth, maxAhead);
  }

  public TelemetryLimits withMaxReadings(int readings) {
    return new TelemetryLimits(maxPayloadBytes, readings, maxKeys, maxKeyLength, maxValueBytes, maxDepth, maxAhead);
  }

  public TelemetryLimits withMaxKeys(int keys) {
    return new TelemetryLimits(maxPayloadBytes, maxReadings, keys, maxKeyLength, maxValueBytes, maxDepth, maxAhead);
  }

  public TelemetryLimits withMaxAhead(Duration ahead) {
    return new TelemetryLimits(maxPayloadBytes, maxReadings, maxKeys, maxKeyLength, maxValueBytes, maxDepth, ahead);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
  }
}
