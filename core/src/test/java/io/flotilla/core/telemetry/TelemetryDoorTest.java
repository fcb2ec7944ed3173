package io.flotilla.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.telemetry.TelemetryCheck.Accepted;
import io.flotilla.core.telemetry.TelemetryCheck.Rejected;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TelemetryDoorTest {
  static final Instant RECEIVED = Instant.parse("2025-06-01T12:00:00Z");
  static final DeviceProfile THERMO =
      TelemetrySchemasTest.profile(TelemetrySchemasTest.ACME, "thermo", 1, TelemetrySchemaTest.THERMO);

  final TelemetryDoor door = new TelemetryDoor(TelemetryLimits.DEFAULT, new TelemetrySchemas(100));

  TelemetryCheck check(DeviceProfile profile, String payload) {
    return door.check(profile, payload.getBytes(StandardCharsets.UTF_8), RECEIVED);
  }

  /** A conforming payload is accepted with its readings; nested values flattened, ts taken as time. */
  @Test
  void conformingPayloadIsAccepted() {
    TelemetryCheck check = check(THERMO, "{\"ts\":\"2025-06-01T11:59:00Z\",\"temperature\":21.5,\"engine\":{\"rpm\":900}}");
    assertThat(check).isInstanceOf(Accepted.class);
    Accepted accepted = (Accepted) check;
    assertThat(accepted.pointCount()).isEqualTo(2);
    assertThat(accepted.toPoints(TelemetrySchemasTest.ACME, "dev-1", "thermo", RECEIVED))
        .extracting(TelemetryPoint::key, TelemetryPoint::time)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("temperature", Instant.parse("2025-06-01T11:59:00Z")),
            org.assertj.core.groups.Tuple.tuple("engine.rpm", Instant.parse("2025-06-01T11:59:00Z")));
  }

  /** A batch is refused whole when one reading breaks the schema; paths name the reading. */
  @Test
  void batchIsRefusedWholeWithEveryViolation() {
    TelemetryCheck check = check(THERMO,
        "[{\"temperature\":20},{\"temperature\":151,\"on\":\"yes\"},{\"temperature\":20},{\"humidity\":3}]");
    assertThat(check).isInstanceOf(Rejected.class);
    Rejected rejected = (Rejected) check;
    assertThat(rejected.reason()).isEqualTo("/1/temperature: must be <= 150");
    assertThat(rejected.violations()).extracting(TelemetryViolation::text).containsExactlyInAnyOrder(
        "/1/temperature: must be <= 150", "/1/on: must be boolean, not string", "/3/temperature: is required");
  }

  /** A single reading's violations have paths without an index. */
  @Test
  void singleReadingViolationHasPlainPath() {
    Rejected rejected = (Rejected) check(THERMO, "{\"temperature\":-50}");
    assertThat(rejected.reason()).isEqualTo("/temperature: must be >= -40");
  }

  /** Parse and limit refusals come before the schema. */
  @Test
  void parseRefusalComesBeforeTheSchema() {
    Rejected rejected = (Rejected) check(THERMO, "{\"temperature\":null}");
    assertThat(rejected.reason()).isEqualTo("/temperature: is null; leave the key out when there is no value");
    assertThat(rejected.violations()).hasSize(1);
  }

  /** Without a schema, anything well formed within the limits is accepted. */
  @Test
  void profileWithoutSchemaAcceptsAnyWellFormedReading() {
    DeviceProfile free = TelemetrySchemasTest.profile(TelemetrySchemasTest.ACME, "free", 1, null);
    assertThat(check(free, "{\"anything\":\"goes\",\"temperature\":9999}")).isInstanceOf(Accepted.class);
  }

  /** A stored schema that cannot compile refuses the data and says an operator must fix the profile. */
  @Test
  void brokenProfileSchemaRefusesWithAnOperatorReason() {
    DeviceProfile broken = TelemetrySchemasTest.profile(TelemetrySchemasTest.ACME, "broken", 1, "{\"minimum\":\"low\"}");
    Rejected rejected = (Rejected) check(broken, "{\"t\":1}");
    assertThat(rejected.violations().get(0).text()).isEqualTo("device profile 'broken' has a telemetry schema that does "
        + "not compile; an operator must fix it: /minimum: string found, number expected");
    assertThat(rejected.reason()).hasSizeLessThanOrEqualTo(120);
  }

  /** A bad batch reports at most MAX_VIOLATIONS violations. */
  @Test
  void violationsAreBounded() {
    String batch = "[" + "{\"temperature\":999,\"x\":1},".repeat(200) + "{\"temperature\":1}]";
    Rejected rejected = (Rejected) check(THERMO, batch);
    assertThat(rejected.violations()).hasSize(TelemetryDoor.MAX_VIOLATIONS);
  }
}
