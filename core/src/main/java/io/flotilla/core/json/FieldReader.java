package io.flotilla.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.error.FieldError;
import io.flotilla.core.error.ValidationException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the fields of a JSON object that a caller sent, collecting every problem with its path
 * instead of stopping at the first, and refusing fields the entity does not have.
 */
public final class FieldReader {
  private final ObjectNode node;
  private final String prefix;
  private final List<FieldError> errors;

  /** A reader whose errors are collected in {@code errors}, shared with nested readers. */
  private FieldReader(ObjectNode node, String prefix, Set<String> allowed, List<FieldError> errors) {
    this.node = node;
    this.prefix = prefix;
    this.errors = errors;
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        errors.add(new FieldError(path(name), "is not a known field; known fields are " + new TreeSet<>(allowed)));
      }
    }
  }

  public static FieldReader of(ObjectNode node, Set<String> allowed) {
    return new FieldReader(node, "", allowed, new ArrayList<>());
  }

  /** A reader for a nested object that reports into this reader's errors, or empty when absent or not an object. */
  public Optional<FieldReader> nested(String name, Set<String> allowed) {
    return object(name).map(child -> new FieldReader(child, path(name) + ".", allowed, errors));
  }

  public Optional<String> string(String name) {
    JsonNode value = present(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      return fail(name, "must be a string");
    }
    return Optional.of(value.asText());
  }

  public Optional<Boolean> bool(String name) {
    JsonNode value = present(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      return fail(name, "must be true or false");
    }
    return Optional.of(value.booleanValue());
  }

  public Optional<Long> integer(String name) {
    JsonNode value = present(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      return fail(name, "must be an integer");
    }
    return Optional.of(value.longValue());
  }

  public Optional<ObjectNode> object(String name) {
    JsonNode value = present(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isObject()) {
      return fail(name, "must be a JSON object");
    }
    return Optional.of((ObjectNode) value);
  }

  /** An object whose values must all be strings; absent means empty. */
  public Map<String, String> stringMap(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    object(name).ifPresent(obj -> obj.fields().forEachRemaining(e -> {
      if (e.getValue().isTextual()) {
        out.put(e.getKey(), e.getValue().asText());
      } else {
        errors.add(new FieldError(path(name) + "." + e.getKey(), "must be a string"));
      }
    }));
    return out;
  }

  /** An array of strings; absent means empty. */
  public List<String> stringList(String name) {
    JsonNode value = present(name);
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (!value.isArray()) {
      fail(name, "must be an array of strings");
      return out;
    }
    for (int i = 0; i < value.size(); i++) {
      if (value.get(i).isTextual()) {
        out.add(value.get(i).asText());
      } else {
        errors.add(new FieldError(path(name) + "[" + i + "]", "must be a string"));
      }
    }
    return out;
  }

  public void error(String name, String message) {
    errors.add(new FieldError(path(name), message));
  }

  /** Whether a problem was already reported for this field (so callers do not report it twice). */
  public boolean hasErrorAt(String name) {
    String path = path(name);
    return errors.stream().anyMatch(e -> e.field().equals(path));
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  public List<FieldError> errors() {
    return List.copyOf(errors);
  }

  public void throwIfErrors() {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  public String path(String name) {
    return prefix + name;
  }

  private JsonNode present(String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? null : value;
  }

  private <T> Optional<T> fail(String name, String message) {
    errors.add(new FieldError(path(name), message));
    return Optional.empty();
  }
}
