package io.flotilla.core.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import io.flotilla.core.telemetry.TelemetryCheck.Accepted;
import io.flotilla.core.telemetry.TelemetryCheck.Rejected;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a telemetry payload into readings, or refuses it with the first rule it breaks. Stateless and
 * thread-safe; one pass over the bytes with Jackson's streaming parser, no intermediate tree.
 *
 * <p>The payload is UTF-8 JSON: one reading object, or a non-empty array of reading objects (a batch).
 * In a reading:
 * <ul>
 *   <li>numbers, booleans and strings are values; nested objects are flattened to dotted keys
 *       ({@code {"engine":{"temp":80}}} is {@code engine.temp}); arrays are one value each, kept whole as
 *       canonical JSON text;</li>
 *   <li>{@code null} is refused, naming the key: a device with nothing to report leaves the key out;</li>
 *   <li>a top-level {@code ts} is the device's time, not a value: epoch milliseconds (an integer) or an
 *       ISO-8601 time with an offset; at most {@link TelemetryLimits#maxAhead()} ahead of the server clock.
 *       A nested {@code ts} is an ordinary value;</li>
 *   <li>a key appearing twice, in one object or after flattening ({@code "a.b"} beside {@code {"a":{"b":…}}}),
 *       is refused; so are flattened keys that are too long, contain control characters or have an empty
 *       segment ({@code a..b}, {@code a.}), and readings with no values;</li>
 *   <li>the other bounds are in {@link TelemetryLimits}.</li>
 * </ul>
 * Violation paths are JSON pointers into the payload as sent ({@code /engine/temp}, {@code /3/ts}).
 */
public final class TelemetryParser {
  static final String TS = "ts";
  private static final String TS_RULE =
      "must be epoch milliseconds (an integer) or ISO-8601 with an offset (2025-01-31T12:00:00Z)";
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final TelemetryLimits limits;

  public TelemetryParser(TelemetryLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public TelemetryLimits limits() {
    return limits;
  }

  /** Reads {@code payload}, received at {@code receivedAt} by the server's clock. */
  public TelemetryCheck parse(byte[] payload, Instant receivedAt) {
    return parse(payload, receivedAt, null);
  }

  /**
   * As {@link #parse(byte[], Instant)}; when {@code trees} is not null it also receives, per accepted
   * reading, the reading object as the device sent it without {@code ts}, for schema validation.
   */
  TelemetryCheck parse(byte[] payload, Instant receivedAt, ReadingTrees trees) {
    if (payload.length > limits.maxPayloadBytes()) {
      return refused("payload is " + payload.length + " bytes; the limit is " + limits.maxPayloadBytes());
    }
    if (looksLikeUtf16Or32(payload)) {
      return refused("payload is not UTF-8 (it looks like UTF-16 or UTF-32)");
    }
    try (JsonParser parser = FACTORY.createParser(payload)) {
      return new Run(parser, receivedAt, trees).payload();
    } catch (Refusal refusal) {
      return Rejected.of(refusal.violation);
    } catch (JsonProcessingException e) {
      return Rejected.of(syntaxViolation(e));
    } catch (IOException e) {
      throw new UncheckedIOException("reading a byte array cannot fail", e);
    }
  }

  private static Rejected refused(String message) {
    return Rejected.of(new TelemetryViolation("", message));
  }

  private static boolean looksLikeUtf16Or32(byte[] b) {
    return b.length >= 2 && (b[0] == 0 || b[1] == 0 || (b[0] & 0xFF) == 0xFE || (b[0] & 0xFF) == 0xFF);
  }

  private static TelemetryViolation syntaxViolation(JsonProcessingException e) {
    String original = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
    if (original.startsWith("Duplicate field") && e.getProcessor() instanceof JsonParser parser) {
      return new TelemetryViolation(parser.getParsingContext().pathAsPointer().toString(),
          "key appears twice in one object");
    }
    long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
    String where = at >= 0 ? " at byte " + at : "";
    if (original.startsWith("Invalid UTF-8")) {
      return new TelemetryViolation("", "payload is not valid UTF-8" + where);
    }
    return new TelemetryViolation("", "payload is not valid JSON" + where + ": " + original);
  }

  /** The state of one parse. */
  private final class Run {
    private final JsonParser p;
    private final Instant receivedAt;
    private final ReadingTrees trees;
    private String readingPath = "";

    Run(JsonParser p, Instant receivedAt, ReadingTrees trees) {
      this.p = p;
      this.receivedAt = receivedAt;
      this.trees = trees;
    }

    TelemetryCheck payload() throws IOException {
      JsonToken first = p.nextToken();
      List<Reading> readings;
      if (first == null) {
        throw new Refusal("", "payload is empty");
      } else if (first == JsonToken.START_OBJECT) {
        readings = List.of(reading());
      } else if (first == JsonToken.START_ARRAY) {
        readings = batch();
      } else {
        throw new Refusal("", "payload must be a JSON object or an array of objects, not " + kind(first));
      }
      if (p.nextToken() != null) {
        throw new Refusal("", "payload has more than one JSON value; send a batch as one array");
      }
      return new Accepted(readings);
    }

    private List<Reading> batch() throws IOException {
      List<Reading> readings = new ArrayList<>();
      if (trees != null) {
        trees.batch = true;
      }
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (readings.size() == limits.maxReadings()) {
          throw new Refusal("", "payload has more than " + limits.maxReadings() + " readings; the limit is "
              + limits.maxReadings());
        }
        readingPath = "/" + readings.size();
        if (t != JsonToken.START_OBJECT) {
          throw new Refusal(readingPath, "reading must be a JSON object, not " + kind(t));
        }
        readings.add(reading());
      }
      if (readings.isEmpty()) {
        throw new Refusal("", "payload is an empty array; send at least one reading");
      }
      return readings;
    }

    private Reading reading() throws IOException {
      Map<String, TelemetryValue> values = new LinkedHashMap<>();
      ObjectNode tree = trees == null ? null : NODES.objectNode();
      Instant deviceTime = null;
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        JsonToken t = p.nextToken();
        if (name.equals(TS)) {
          deviceTime = deviceTime(t);
        } else {
          value(values, tree, name, name, t, 1);
        }
      }
      if (values.isEmpty()) {
        throw new Refusal(readingPath, "reading has no values");
      }
      if (trees != null) {
        trees.readings.add(tree);
      }
      return new Reading(Optional.ofNullable(deviceTime), values);
    }

    /** One member of an object at nesting level {@code level} (the reading is level 1). */
    private void value(Map<String, TelemetryValue> values, ObjectNode tree, String key, String name, JsonToken t,
        int level) throws IOException {
      switch (t) {
        case START_OBJECT -> object(values, tree == null ? null : tree.putObject(name), key, level + 1);
        case START_ARRAY -> {
          ArrayNode array = array(level + 1);
          String json = Json.canonical(array);
          int bytes = utf8Length(json);
          if (bytes > limits.maxValueBytes()) {
            throw new Refusal(pointer(), "array is " + bytes + " bytes as JSON; the limit is " + limits.maxValueBytes());
          }
          put(values, key, new TelemetryValue.Json(json));
          if (tree != null) {
            tree.set(name, array);
          }
        }
        case VALUE_STRING -> {
          String text = p.getText();
          if (text.length() * 3L > limits.maxValueBytes() && utf8Length(text) > limits.maxValueBytes()) {
            throw new Refusal(pointer(), "string is " + utf8Length(text) + " bytes; the limit is "
                + limits.maxValueBytes());
          }
          put(values, key, new TelemetryValue.Text(text));
          if (tree != null) {
            tree.put(name, text);
          }
        }
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
          put(values, key, new TelemetryValue.Num(finiteDouble()));
          if (tree != null) {
            tree.set(name, numberNode());
          }
        }
        case VALUE_TRUE, VALUE_FALSE -> {
          put(values, key, new TelemetryValue.Bool(t == JsonToken.VALUE_TRUE));
          if (tree != null) {
            tree.put(name, t == JsonToken.VALUE_TRUE);
          }
        }
        case VALUE_NULL -> throw new Refusal(pointer(), "is null; leave the key out when there is no value");
        default -> throw new IllegalStateException("unexpected token " + t);
      }
    }

    private void object(Map<String, TelemetryValue> values, ObjectNode tree, String prefix, int level)
        throws IOException {
      if (level > limits.maxDepth()) {
        throw new Refusal(pointer(), "is nested deeper than " + limits.maxDepth() + " levels");
      }
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        value(values, tree, prefix + '.' + name, name, p.nextToken(), level);
      }
    }

    /** Reads the array starting at the current token, which sits at nesting level {@code level}. */
    private ArrayNode array(int level) throws IOException {
      if (level > limits.maxDepth()) {
        throw new Refusal(pointer(), "is nested deeper than " + limits.maxDepth() + " levels");
      }
      ArrayNode array = NODES.arrayNode();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        switch (t) {
          case START_ARRAY -> array.add(array(level + 1));
          case START_OBJECT -> array.add(objectInArray(level + 1));
          default -> array.add(scalarNode(t));
        }
      }
      return array;
    }

    private ObjectNode objectInArray(int level) throws IOException {
      if (level > limits.maxDepth()) {
        throw new Refusal(pointer(), "is nested deeper than " + limits.maxDepth() + " levels");
      }
      ObjectNode object = NODES.objectNode();
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        JsonToken t = p.nextToken();
        object.set(name, switch (t) {
          case START_ARRAY -> array(level + 1);
          case START_OBJECT -> objectInArray(level + 1);
          default -> scalarNode(t);
        });
      }
      return object;
    }

    private com.fasterxml.jackson.databind.JsonNode scalarNode(JsonToken t) throws IOException {
      return switch (t) {
        case VALUE_STRING -> NODES.textNode(p.getText());
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
          finiteDouble();
          yield numberNode();
        }
        case VALUE_TRUE -> NODES.booleanNode(true);
        case VALUE_FALSE -> NODES.booleanNode(false);
        case VALUE_NULL -> NODES.nullNode();
        default -> throw new IllegalStateException("unexpected token " + t);
      };
    }

    private double finiteDouble() throws IOException {
      double value = p.getDoubleValue();
      if (!Double.isFinite(value)) {
        throw new Refusal(pointer(), "is not a finite number (its magnitude is beyond 1.8e308)");
      }
      return value;
    }

    /** The current number as the device wrote it: integers stay integers for the schema's sake. */
    private com.fasterxml.jackson.databind.JsonNode numberNode() throws IOException {
      return switch (p.getNumberType()) {
        case INT -> NODES.numberNode(p.getIntValue());
        case LONG -> NODES.numberNode(p.getLongValue());
        case BIG_INTEGER -> NODES.numberNode(p.getBigIntegerValue());
        default -> NODES.numberNode(p.getDoubleValue());
      };
    }

    private void put(Map<String, TelemetryValue> values, String key, TelemetryValue value) {
      checkKey(key);
      if (values.size() == limits.maxKeys() && !values.containsKey(key)) {
        throw new Refusal(readingPath, "reading has more than " + limits.maxKeys() + " keys; the limit is "
            + limits.maxKeys());
      }
      if (values.putIfAbsent(key, value) != null) {
        throw new Refusal(pointer(), "flattened key '" + key + "' appears twice");
      }
    }

    private void checkKey(String key) {
      if (key.length() > limits.maxKeyLength()) {
        throw new Refusal(pointer(), "key is " + key.length() + " characters long; the limit is "
            + limits.maxKeyLength());
      }
      boolean emptySegment = key.isEmpty() || key.charAt(0) == '.' || key.charAt(key.length() - 1) == '.';
      for (int i = 0; i < key.length(); i++) {
        char c = key.charAt(i);
        if (Character.isISOControl(c)) {
          throw new Refusal(pointer(), "key contains a control character");
        }
        emptySegment |= c == '.' && i > 0 && key.charAt(i - 1) == '.';
      }
      if (emptySegment) {
        throw new Refusal(pointer(), "flattened key '" + key + "' has an empty segment");
      }
    }

    private Instant deviceTime(JsonToken t) throws IOException {
      Instant time;
      if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
        long millis = p.getLongValue();
        if (millis < 0) {
          throw new Refusal(pointer(), "is before 1970 (" + millis + " epoch milliseconds)");
        }
        time = Instant.ofEpochMilli(millis);
      } else if (t == JsonToken.VALUE_STRING) {
        String text = p.getText();
        try {
          time = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
          throw new Refusal(pointer(), "'" + clip(text) + "' is not ISO-8601 with an offset (2025-01-31T12:00:00Z)");
        }
      } else {
        throw new Refusal(pointer(), TS_RULE + ", not " + kind(t));
      }
      if (time.isAfter(receivedAt.plus(limits.maxAhead()))) {
        throw new Refusal(pointer(), time + " is more than " + human(limits.maxAhead())
            + " ahead of the server clock");
      }
      return time;
    }

    private String pointer() {
      return p.getParsingContext().pathAsPointer().toString();
    }
  }

  private static String kind(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a decimal number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  private static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 39) + "…";
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    if (s != 0 && s % 3600 == 0) {
      return s / 3600 + "h";
    }
    return s != 0 && s % 60 == 0 ? s / 60 + "min" : s + "s";
  }

  static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** The reading objects of a payload as sent (without {@code ts}), for the schema. */
  static final class ReadingTrees {
    final List<ObjectNode> readings = new ArrayList<>(1);
    /** Whether the payload was an array, so reading {@code i} is at {@code /i}. */
    boolean batch;
  }

  /** A rule broken; unwinds the parse without a stack trace. */
  private static final class Refusal extends RuntimeException {
    private final TelemetryViolation violation;

    Refusal(String path, String message) {
      super(message, null, false, false);
      this.violation = new TelemetryViolation(path, message);
    }
  }
}
