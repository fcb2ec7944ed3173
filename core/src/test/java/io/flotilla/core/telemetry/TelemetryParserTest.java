package io.flotilla.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.telemetry.TelemetryCheck.Accepted;
import io.flotilla.core.telemetry.TelemetryCheck.Rejected;
import io.flotilla.core.telemetry.TelemetryValue.Bool;
import io.flotilla.core.telemetry.TelemetryValue.Json;
import io.flotilla.core.telemetry.TelemetryValue.Num;
import io.flotilla.core.telemetry.TelemetryValue.Text;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryParserTest {
  static final Instant RECEIVED = Instant.parse("2025-06-01T12:00:00Z");
  static final TelemetryParser PARSER = new TelemetryParser(TelemetryLimits.DEFAULT);

  static List<Reading> accepted(String json) {
    TelemetryCheck check = PARSER.parse(json.getBytes(StandardCharsets.UTF_8), RECEIVED);
    assertThat(check).isInstanceOf(Accepted.class);
    return ((Accepted) check).readings();
  }

  static String reason(String json) {
    return reason(PARSER, json.getBytes(StandardCharsets.UTF_8));
  }

  static String reason(TelemetryParser parser, byte[] payload) {
    TelemetryCheck check = parser.parse(payload, RECEIVED);
    assertThat(check).isInstanceOf(Rejected.class);
    Rejected rejected = (Rejected) check;
    assertThat(rejected.violations()).hasSize(1);
    assertThat(rejected.reason()).isEqualTo(rejected.violations().get(0).text(120));
    return rejected.violations().get(0).text();
  }

  /** One object is one reading; values keep their types and the order the device sent them in. */
  @Test
  void objectIsOneReadingWithTypedValuesInOrder() {
    List<Reading> readings = accepted("{\"temp\":21.5,\"on\":true,\"mode\":\"eco\",\"count\":3,\"off\":false}");
    assertThat(readings).hasSize(1);
    assertThat(readings.get(0).deviceTime()).isEmpty();
    assertThat(readings.get(0).values()).containsExactly(
        java.util.Map.entry("temp", new Num(21.5)), java.util.Map.entry("on", new Bool(true)),
        java.util.Map.entry("mode", new Text("eco")), java.util.Map.entry("count", new Num(3)),
        java.util.Map.entry("off", new Bool(false)));
  }

  /** Nested objects become dotted keys, at any depth, in document order. */
  @Test
  void nestedObjectsFlattenToDottedKeys() {
    Reading reading = accepted("{\"engine\":{\"temp\":80,\"oil\":{\"pressure\":2.1}},\"speed\":5,\"empty\":{}}").get(0);
    assertThat(reading.values().keySet()).containsExactly("engine.temp", "engine.oil.pressure", "speed");
    assertThat(reading.values().get("engine.oil.pressure")).isEqualTo(new Num(2.1));
  }

  /** An array is one value: canonical JSON text (compact, object keys sorted), nulls inside kept. */
  @Test
  void arraysAreKeptWholeAsCanonicalJson() {
    Reading reading = accepted("{\"cells\":[3.7, 3.8 ,{\"b\":1,\"a\":[true,null]},\"x\"]}").get(0);
    assertThat(reading.values()).containsExactly(
        java.util.Map.entry("cells", new Json("[3.7,3.8,{\"a\":[true,null],\"b\":1},\"x\"]")));
  }

  /** A batch is an array of reading objects, each with its own time. */
  @Test
  void arrayOfObjectsIsABatchOfReadings() {
    List<Reading> readings = accepted("[{\"ts\":1748779200000,\"t\":1},{\"t\":2},{\"ts\":\"2025-06-01T11:00:00Z\",\"t\":3}]");
    assertThat(readings).extracting(r -> r.values().get("t")).containsExactly(new Num(1), new Num(2), new Num(3));
    assertThat(readings).extracting(Reading::deviceTime).containsExactly(
        java.util.Optional.of(Instant.parse("2025-06-01T12:00:00Z")), java.util.Optional.empty(),
        java.util.Optional.of(Instant.parse("2025-06-01T11:00:00Z")));
  }

  /** ts is epoch milliseconds or ISO-8601 with an offset or Z; it is the time, not a value. */
  @Test
  void tsIsEpochMillisOrIsoWithOffsetAndIsNotAValue() {
    assertThat(accepted("{\"ts\":1748779199123,\"t\":1}").get(0).deviceTime())
        .contains(Instant.parse("2025-06-01T11:59:59.123Z"));
    assertThat(accepted("{\"t\":1,\"ts\":\"2025-06-01T13:30:00+02:00\"}").get(0).deviceTime())
        .contains(Instant.parse("2025-06-01T11:30:00Z"));
    Reading z = accepted("{\"ts\":\"2025-06-01T11:30:00.250Z\",\"t\":1}").get(0);
    assertThat(z.deviceTime()).contains(Instant.parse("2025-06-01T11:30:00.250Z"));
    assertThat(z.values()).containsOnlyKeys("t");
  }

  /** Only the reading's top-level ts is its time; a nested ts is an ordinary value. */
  @Test
  void nestedTsIsAValue() {
    Reading reading = accepted("{\"gps\":{\"ts\":5,\"lat\":1}}").get(0);
    assertThat(reading.deviceTime()).isEmpty();
    assertThat(reading.values()).containsKeys("gps.ts", "gps.lat");
  }

  /** Invalid times are refused with what is allowed. */
  @Test
  void invalidTsIsRefusedNamingTheFormats() {
    assertThat(reason("{\"ts\":\"2025-06-01T11:00:00\",\"t\":1}"))
        .isEqualTo("/ts: '2025-06-01T11:00:00' is not ISO-8601 with an offset (2025-01-31T12:00:00Z)");
    assertThat(reason("{\"ts\":\"yesterday\",\"t\":1}"))
        .isEqualTo("/ts: 'yesterday' is not ISO-8601 with an offset (2025-01-31T12:00:00Z)");
    assertThat(reason("{\"ts\":1.5e12,\"t\":1}")).isEqualTo("/ts: must be epoch milliseconds (an integer) or "
        + "ISO-8601 with an offset (2025-01-31T12:00:00Z), not a decimal number");
    assertThat(reason("{\"ts\":true,\"t\":1}")).endsWith("(2025-01-31T12:00:00Z), not a boolean");
    assertThat(reason("{\"ts\":{\"s\":1},\"t\":1}")).endsWith("(2025-01-31T12:00:00Z), not an object");
    assertThat(reason("{\"ts\":-1,\"t\":1}")).isEqualTo("/ts: is before 1970 (-1 epoch milliseconds)");
    assertThat(reason("{\"ts\":123456789012345678901234567890,\"t\":1}"))
        .endsWith("(2025-01-31T12:00:00Z), not an integer");
  }

  /** A device clock may run ahead by the configured skew, not more. */
  @Test
  void tsTooFarInTheFutureIsRefused() {
    long limit = RECEIVED.plus(Duration.ofHours(1)).toEpochMilli();
    assertThat(accepted("{\"ts\":" + limit + ",\"t\":1}").get(0).deviceTime())
        .contains(Instant.ofEpochMilli(limit));
    assertThat(reason("{\"ts\":" + (limit + 1) + ",\"t\":1}"))
        .isEqualTo("/ts: 2025-06-01T13:00:00.001Z is more than 1h ahead of the server clock");
    TelemetryParser strict = new TelemetryParser(TelemetryLimits.DEFAULT.withMaxAhead(Duration.ofSeconds(90)));
    assertThat(reason(strict, "[{\"t\":1},{\"ts\":\"2025-06-01T12:05:00Z\",\"t\":1}]".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("/1/ts: 2025-06-01T12:05:00Z is more than 90s ahead of the server clock");
  }

  /** The payload size is checked before anything is parsed, naming size and limit. */
  @Test
  void oversizedPayloadIsRefusedWithItsSizeAndTheLimit() {
    byte[] big = new byte[70000];
    java.util.Arrays.fill(big, (byte) ' ');
    assertThat(reason(PARSER, big)).isEqualTo("payload is 70000 bytes; the limit is 65536");
    TelemetryParser small = new TelemetryParser(TelemetryLimits.DEFAULT.withMaxPayloadBytes(10));
    assertThat(reason(small, "{\"temp\":21.5}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("payload is 13 bytes; the limit is 10");
  }

  /** Payloads that are not one JSON object or array of objects are refused, saying what they were. */
  @Test
  void payloadShapeIsChecked() {
    assertThat(reason("")).isEqualTo("payload is empty");
    assertThat(reason("  \n")).isEqualTo("payload is empty");
    assertThat(reason("42")).isEqualTo("payload must be a JSON object or an array of objects, not an integer");
    assertThat(reason("\"hi\"")).isEqualTo("payload must be a JSON object or an array of objects, not a string");
    assertThat(reason("null")).isEqualTo("payload must be a JSON object or an array of objects, not null");
    assertThat(reason("[]")).isEqualTo("payload is an empty array; send at least one reading");
    assertThat(reason("[{\"t\":1},7]")).isEqualTo("/1: reading must be a JSON object, not an integer");
    assertThat(reason("[{\"t\":1},[]]")).isEqualTo("/1: reading must be a JSON object, not an array");
    assertThat(reason("{\"t\":1}{\"t\":2}")).isEqualTo("payload has more than one JSON value; send a batch as one array");
  }

  /** Broken JSON and non-UTF-8 bytes are refused with where the problem is. */
  @Test
  void malformedJsonAndNonUtf8AreRefused() {
    assertThat(reason("{\"t\":1,}")).startsWith("payload is not valid JSON at byte 7: Unexpected character ('}'");
    assertThat(reason("{\"t\":1")).startsWith("payload is not valid JSON at byte 6: Unexpected end-of-input");
    assertThat(reason("{\"t\":NaN}")).startsWith("payload is not valid JSON at byte ");
    assertThat(reason(PARSER, "{\"t\":1}".getBytes(StandardCharsets.UTF_16LE)))
        .isEqualTo("payload is not UTF-8 (it looks like UTF-16 or UTF-32)");
    assertThat(reason(PARSER, "{\"t\":1}".getBytes(StandardCharsets.UTF_16)))
        .isEqualTo("payload is not UTF-8 (it looks like UTF-16 or UTF-32)");
    byte[] latin1 = "{\"name\":\"Grüße\"}".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(reason(PARSER, latin1)).isEqualTo("payload is not valid UTF-8 at byte 12");
  }

  /** A UTF-8 byte order mark is tolerated (RFC 8259 lets parsers ignore it). */
  @Test
  void utf8ByteOrderMarkIsIgnored() {
    assertThat(accepted("\uFEFF{\"t\":1}").get(0).values()).containsOnlyKeys("t");
  }

  /** null is not a value: the device should leave the key out, and the refusal names the key. */
  @Test
  void nullValueIsRefusedNamingTheKey() {
    assertThat(reason("{\"t\":1,\"engine\":{\"temp\":null}}"))
        .isEqualTo("/engine/temp: is null; leave the key out when there is no value");
    assertThat(reason("[{\"t\":1},{\"t\":null}]")).isEqualTo("/1/t: is null; leave the key out when there is no value");
  }

  /** A reading must carry at least one value; ts alone or empty objects are not enough. */
  @Test
  void readingWithoutValuesIsRefused() {
    assertThat(reason("{}")).isEqualTo("reading has no values");
    assertThat(reason("{\"ts\":1748779200000}")).isEqualTo("reading has no values");
    assertThat(reason("{\"a\":{\"b\":{}}}")).isEqualTo("reading has no values");
    assertThat(reason("[{\"t\":1},{\"t\":2},{}]")).isEqualTo("/2: reading has no values");
  }

  /** The same key twice, in one object or after flattening, is refused. */
  @Test
  void duplicateKeysAreRefusedAlsoAfterFlattening() {
    assertThat(reason("{\"a.b\":1,\"a\":{\"b\":2}}")).isEqualTo("/a/b: flattened key 'a.b' appears twice");
    assertThat(reason("{\"a\":{\"b\":2},\"a.b\":1}")).isEqualTo("/a.b: flattened key 'a.b' appears twice");
    assertThat(reason("{\"t\":1,\"t\":2}")).isEqualTo("/t: key appears twice in one object");
    assertThat(reason("{\"a\":{\"x\":1},\"a\":{\"y\":2}}")).isEqualTo("/a: key appears twice in one object");
    assertThat(reason("{\"ts\":1,\"ts\":2,\"t\":1}")).isEqualTo("/ts: key appears twice in one object");
  }

  /** Flattened keys are bounded in length and free of control characters and empty segments. */
  @Test
  void badKeysAreRefused() {
    String long256 = "k".repeat(256);
    assertThat(reason("{\"" + long256 + "\":1}")).endsWith(": key is 256 characters long; the limit is 255");
    assertThat(reason("{\"" + "k".repeat(200) + "\":{\"" + "m".repeat(60) + "\":1}}"))
        .endsWith(": key is 261 characters long; the limit is 255");
    assertThat(accepted("{\"" + "k".repeat(255) + "\":1}").get(0).values()).hasSize(1);
    assertThat(reason("{\"a\\u0001b\":1}")).isEqualTo("/a\\u0001b: key contains a control character");
    assertThat(reason("{\"\":1}")).isEqualTo("/: flattened key '' has an empty segment");
    assertThat(reason("{\"a..b\":1}")).isEqualTo("/a..b: flattened key 'a..b' has an empty segment");
    assertThat(reason("{\".a\":1}")).isEqualTo("/.a: flattened key '.a' has an empty segment");
    assertThat(reason("{\"a\":{\"\":1}}")).isEqualTo("/a/: flattened key 'a.' has an empty segment");
    assertThat(accepted("{\"a.b\":1,\"x/y~z\":2}").get(0).values()).containsOnlyKeys("a.b", "x/y~z");
  }

  /** At most maxKeys values per reading, after flattening. */
  @Test
  void tooManyKeysAreRefused() {
    StringBuilder json = new StringBuilder("{\"ts\":1");
    for (int i = 0; i < 1000; i++) {
      json.append(",\"k").append(i).append("\":").append(i);
    }
    assertThat(accepted(json + "}").get(0).values()).hasSize(1000);
    assertThat(reason(json + ",\"n\":{\"one\":1}}")).isEqualTo("reading has more than 1000 keys; the limit is 1000");
    TelemetryParser three = new TelemetryParser(TelemetryLimits.DEFAULT.withMaxKeys(3));
    assertThat(reason(three, "[{\"a\":1},{\"a\":{\"b\":1,\"c\":2,\"d\":3,\"e\":4}}]".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("/1: reading has more than 3 keys; the limit is 3");
  }

  /** At most maxReadings readings per batch. */
  @Test
  void tooManyReadingsAreRefused() {
    String reading = "{\"t\":1},";
    String thousand = "[" + reading.repeat(999) + "{\"t\":1}]";
    assertThat(accepted(thousand)).hasSize(1000);
    assertThat(reason("[" + reading.repeat(1000) + "{\"t\":1}]"))
        .isEqualTo("payload has more than 1000 readings; the limit is 1000");
    TelemetryParser two = new TelemetryParser(TelemetryLimits.DEFAULT.withMaxReadings(2));
    assertThat(reason(two, "[{\"t\":1},{\"t\":1},{\"t\":1}]".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("payload has more than 2 readings; the limit is 2");
  }

  /** String values are bounded in UTF-8 bytes (8 KiB); array values by their JSON text. */
  @Test
  void longStringsAndArraysAreRefused() {
    assertThat(accepted("{\"s\":\"" + "x".repeat(8192) + "\"}").get(0).values()).hasSize(1);
    assertThat(reason("{\"s\":\"" + "x".repeat(8193) + "\"}")).isEqualTo("/s: string is 8193 bytes; the limit is 8192");
    assertThat(reason("{\"s\":\"" + "é".repeat(4097) + "\"}")).isEqualTo("/s: string is 8194 bytes; the limit is 8192");
    assertThat(accepted("{\"s\":\"" + "é".repeat(4096) + "\"}").get(0).values()).hasSize(1);
    String numbers = "1,".repeat(4200) + "1";
    assertThat(reason("{\"a\":[" + numbers + "]}")).isEqualTo("/a: array is 8403 bytes as JSON; the limit is 8192");
  }

  /** Nesting is bounded: the reading is level 1, and objects and arrays each add one. */
  @Test
  void deepNestingIsRefused() {
    String nine = "{\"a\":".repeat(9) + "1" + "}".repeat(9);
    assertThat(accepted("{\"x\":" + nine + "}").get(0).values()).containsOnlyKeys("x" + ".a".repeat(9));
    String ten = "{\"a\":".repeat(10) + "1" + "}".repeat(10);
    assertThat(reason("{\"x\":" + ten + "}")).isEqualTo("/x/a/a/a/a/a/a/a/a/a: is nested deeper than 10 levels");
    assertThat(accepted("{\"x\":" + "[".repeat(9) + "]".repeat(9) + "}").get(0).values()).hasSize(1);
    assertThat(reason("{\"x\":" + "[".repeat(10) + "]".repeat(10) + "}")).endsWith(": is nested deeper than 10 levels");
    assertThat(reason("{\"x\":" + "[{\"a\":".repeat(5) + "1" + "}]".repeat(5) + "}"))
        .endsWith(": is nested deeper than 10 levels");
    assertThat(reason("{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}")).endsWith(": is nested deeper than 10 levels");
  }

  /** Numbers beyond the double range are refused, in values and inside arrays. */
  @Test
  void nonFiniteNumbersAreRefused() {
    assertThat(reason("{\"t\":1e400}")).isEqualTo("/t: is not a finite number (its magnitude is beyond 1.8e308)");
    assertThat(reason("{\"t\":-1e400}")).isEqualTo("/t: is not a finite number (its magnitude is beyond 1.8e308)");
    assertThat(reason("{\"t\":[1,1e999]}")).endsWith(": is not a finite number (its magnitude is beyond 1.8e308)");
    assertThat(accepted("{\"t\":1e-400}").get(0).values().get("t")).isEqualTo(new Num(0.0));
  }

  /** Points take the device's time when it sent one, else the receive time. */
  @Test
  void pointsTakeDeviceTimeOrReceiveTime() {
    List<Reading> readings = accepted("[{\"ts\":\"2025-06-01T11:00:00Z\",\"a\":1,\"b\":{\"c\":true}},{\"a\":2}]");
    io.flotilla.core.tenant.TenantId acme = new io.flotilla.core.tenant.TenantId("acme");
    List<TelemetryPoint> points = Reading.toPoints(acme, "dev-1", "thermo", readings, RECEIVED);
    assertThat(points).containsExactly(
        new TelemetryPoint(acme, "dev-1", "thermo", "a", Instant.parse("2025-06-01T11:00:00Z"), RECEIVED, new Num(1)),
        new TelemetryPoint(acme, "dev-1", "thermo", "b.c", Instant.parse("2025-06-01T11:00:00Z"), RECEIVED, new Bool(true)),
        new TelemetryPoint(acme, "dev-1", "thermo", "a", RECEIVED, RECEIVED, new Num(2)));
  }

  /**
   * The reason (for an MQTT reason string) is at most 120 characters: a long key is cut in its middle so
   * the message survives; a long message is cut at its end. The violation keeps the whole text.
   */
  @Test
  void reasonIsAtMost120CharactersAndKeepsTheMessage() {
    String key = "a".repeat(100) + "z".repeat(100);
    Rejected rejected = (Rejected) PARSER.parse(("{\"" + key + "\":null}").getBytes(StandardCharsets.UTF_8), RECEIVED);
    assertThat(rejected.reason()).hasSize(120).startsWith("/aaa").contains("a…z")
        .endsWith("zz: is null; leave the key out when there is no value");
    assertThat(rejected.violations().get(0).text()).isEqualTo("/" + key + ": is null; leave the key out when there is no value");
    Rejected syntax = (Rejected) PARSER.parse("{\"t\":1,}".getBytes(StandardCharsets.UTF_8), RECEIVED);
    assertThat(syntax.reason()).hasSize(120).startsWith("payload is not valid JSON at byte 7").endsWith("…");
  }
}
