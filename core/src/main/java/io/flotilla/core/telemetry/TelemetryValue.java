package io.flotilla.core.telemetry;

import java.util.Objects;

/** One value of a reading: a number, a boolean, a string, or a JSON document (arrays, kept whole). */
public sealed interface TelemetryValue {

  /** The kind of value, which decides the column it is stored in and what aggregates apply. */
  ValueType type();

  /** The kinds of value a store keeps apart. */
  enum ValueType {
    NUMBER, BOOLEAN, STRING, JSON
  }

  record Num(double value) implements TelemetryValue {
    public Num {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("a telemetry number must be finite, not " + value);
      }
    }

    @Override
    public ValueType type() {
      return ValueType.NUMBER;
    }
  }

  record Bool(boolean value) implements TelemetryValue {
    @Override
    public ValueType type() {
      return ValueType.BOOLEAN;
    }
  }

  record Text(String value) implements TelemetryValue {
    public Text {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public ValueType type() {
      return ValueType.STRING;
    }
  }

  /** @param json canonical JSON text of an array (objects are flattened to dotted keys before this) */
  record Json(String json) implements TelemetryValue {
    public Json {
      Objects.requireNonNull(json, "json");
    }

    @Override
    public ValueType type() {
      return ValueType.JSON;
    }
  }
}
