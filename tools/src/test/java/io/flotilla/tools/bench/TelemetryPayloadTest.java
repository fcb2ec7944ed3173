package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import io.flotilla.core.telemetry.TelemetryCheck;
import io.flotilla.core.telemetry.TelemetryDoor;
import io.flotilla.core.telemetry.TelemetryLimits;
import io.flotilla.core.telemetry.TelemetrySchema;
import io.flotilla.core.telemetry.TelemetrySchemas;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TelemetryPayloadTest {
  private static final long NOW = Instant.parse("2025-06-01T12:34:56.789Z").toEpochMilli();

  /** A message is about 120 bytes of JSON: the device's time and four numbers, nothing else. */
  @Test
  void isAbout120BytesOfJsonWithFourValuesAndTheDeviceTime() throws Exception {
    byte[] message = new TelemetryPayload(3).bytes(17, NOW);

    assertThat(message).hasSize(TelemetryPayload.size());
    assertThat(message.length).isBetween(110, 130);
    JsonNode json = Json.MAPPER.readTree(message);
    assertThat(json.get("ts").asText()).isEqualTo("2025-06-01T12:34:56.789Z");
    List<String> values = new ArrayList<>();
    json.fieldNames().forEachRemaining(values::add);
    values.remove("ts");
    assertThat(values).containsExactly("temperature_c", "humidity_pct", "pressure_hpa", "battery_v")
        .hasSize(TelemetryPayload.VALUES);
    values.forEach(key -> assertThat(json.get(key).isNumber()).as(key).isTrue());
  }

  /** The server's own door accepts every message against the profile's schema, as four data points. */
  @Test
  void passesTheProfileSchemaAtTheDoorAsFourPoints() {
    TelemetryDoor door = new TelemetryDoor(TelemetryLimits.DEFAULT, new TelemetrySchemas(10));
    Optional<TelemetrySchema> schema = Optional.of(TelemetrySchema.compile((ObjectNode) Json.readTrusted(
        TelemetryPayload.SCHEMA)));
    for (int device : new int[] {0, 1, 99_999}) {
      TelemetryPayload payload = new TelemetryPayload(device);
      for (long sequence = 0; sequence < 3_000; sequence += 7) {
        TelemetryCheck check = door.check(schema, payload.bytes(sequence, NOW + sequence), Instant.ofEpochMilli(NOW));
        assertThat(check).as("device %d, message %d", device, sequence).isInstanceOf(TelemetryCheck.Accepted.class);
        assertThat(((TelemetryCheck.Accepted) check).pointCount()).isEqualTo(TelemetryPayload.VALUES);
      }
    }
  }

  /** The schema refuses a reading with a value missing or out of range, so validation has work to do. */
  @Test
  void schemaRefusesAMissingOrImpossibleValue() {
    TelemetryDoor door = new TelemetryDoor(TelemetryLimits.DEFAULT, new TelemetrySchemas(10));
    Optional<TelemetrySchema> schema = Optional.of(TelemetrySchema.compile((ObjectNode) Json.readTrusted(
        TelemetryPayload.SCHEMA)));
    String missing = "{\"temperature_c\":20.5,\"humidity_pct\":40,\"pressure_hpa\":1000}";
    String tooHot = "{\"temperature_c\":200,\"humidity_pct\":40,\"pressure_hpa\":1000,\"battery_v\":3.7}";
    for (String reading : List.of(missing, tooHot)) {
      assertThat(door.check(schema, reading.getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(NOW)))
          .as(reading).isInstanceOf(TelemetryCheck.Rejected.class);
    }
  }

  /** Values change from message to message and between devices; the time follows the clock given. */
  @Test
  void valuesChangeAndTheTimeFollowsTheClock() throws Exception {
    TelemetryPayload payload = new TelemetryPayload(5);
    Set<String> temperatures = new HashSet<>();
    for (int sequence = 0; sequence < 100; sequence++) {
      temperatures.add(Json.MAPPER.readTree(payload.bytes(sequence, NOW)).get("temperature_c").asText());
    }
    assertThat(temperatures).hasSizeGreaterThan(50);
    assertThat(new TelemetryPayload(6).bytes(0, NOW)).isNotEqualTo(payload.bytes(0, NOW));
    ByteBuf later = payload.encode(ByteBufAllocator.DEFAULT, 1, NOW + 1_000_211);
    try {
      assertThat(Json.MAPPER.readTree(later.toString(StandardCharsets.US_ASCII)).get("ts").asText())
          .isEqualTo("2025-06-01T12:51:37.000Z");
    } finally {
      later.release();
    }
  }
}
