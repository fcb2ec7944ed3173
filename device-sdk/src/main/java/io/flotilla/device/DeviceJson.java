package io.flotilla.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The SDK's one JSON mapper, and reading what the platform sends without ever throwing. */
final class DeviceJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private DeviceJson() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** The JSON object in {@code bytes}, or empty when they are not one. */
  static Optional<ObjectNode> readObject(byte[] bytes) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      return node instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Checks that a telemetry payload is a JSON object or array, before it takes buffer space. */
  static void requireTelemetry(byte[] payload) {
    JsonNode node;
    try {
      node = MAPPER.readTree(payload);
    } catch (IOException e) {
      throw new IllegalArgumentException("telemetry must be JSON: " + e.getMessage(), e);
    }
    if (node == null || !(node.isObject() || node.isArray())) {
      throw new IllegalArgumentException("telemetry must be a JSON object (one reading) or an array of objects "
          + "(a batch)");
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
