package io.flotilla.core.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Copies the domain's JSON trees (Jackson 2) into Jackson 3 trees, which the schema validator
 * (json-schema-validator 3.x) reads. Kept to this package: nothing else in core sees Jackson 3.
 */
final class Jackson3Trees {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Jackson3Trees() {}

  /** A reading object without its top-level {@code ts}, which is the device's time and not data. */
  static tools.jackson.databind.JsonNode reading(JsonNode reading) {
    if (!reading.isObject() || !reading.has(TelemetryParser.TS)) {
      return copy(reading);
    }
    ObjectNode out = NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = reading.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getKey().equals(TelemetryParser.TS)) {
        out.set(field.getKey(), copy(field.getValue()));
      }
    }
    return out;
  }

  static tools.jackson.databind.JsonNode copy(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> {
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          out.set(field.getKey(), copy(field.getValue()));
        }
        yield out;
      }
      case ARRAY -> {
        ArrayNode out = NODES.arrayNode(node.size());
        for (JsonNode element : node) {
          out.add(copy(element));
        }
        yield out;
      }
      case STRING -> NODES.stringNode(node.textValue());
      case BOOLEAN -> NODES.booleanNode(node.booleanValue());
      case NUMBER -> number(node);
      case NULL -> NODES.nullNode();
      default -> NODES.stringNode(node.asText());
    };
  }

  private static tools.jackson.databind.JsonNode number(JsonNode node) {
    return switch (node.numberType()) {
      case INT -> NODES.numberNode(node.intValue());
      case LONG -> NODES.numberNode(node.longValue());
      case BIG_INTEGER -> NODES.numberNode(node.bigIntegerValue());
      case BIG_DECIMAL -> NODES.numberNode(node.decimalValue());
      default -> NODES.numberNode(node.doubleValue());
    };
  }
}
