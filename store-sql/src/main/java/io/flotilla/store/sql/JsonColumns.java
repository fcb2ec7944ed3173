package io.flotilla.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.device.DataClass;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** How JSON-valued fields are kept in TEXT columns, written and read with the domain's one mapper. */
final class JsonColumns {
  private JsonColumns() {}

  static String write(JsonNode node) {
    return Json.write(node);
  }

  static ObjectNode readObject(String column, String text) {
    try {
      if (Json.MAPPER.readTree(text) instanceof ObjectNode object) {
        return object;
      }
    } catch (JsonProcessingException e) {
      throw corrupt(column, e);
    }
    throw corrupt(column, null);
  }

  static String tags(Map<String, String> tags) {
    ObjectNode node = Json.object();
    new TreeMap<>(tags).forEach(node::put);
    return write(node);
  }

  static Map<String, String> tags(String column, String text) {
    return textMap(readObject(column, text));
  }

  static String classification(Map<String, DataClass> classification) {
    ObjectNode node = Json.object();
    new TreeMap<>(classification).forEach((path, dataClass) -> node.put(path, dataClass.wireName()));
    return write(node);
  }

  static Map<String, DataClass> classification(String text) {
    Map<String, DataClass> classification = new LinkedHashMap<>();
    readObject("device_profiles.classification", text).properties().forEach(e ->
        classification.put(e.getKey(), DataClass.fromWire(e.getKey(), e.getValue().asText())));
    return classification;
  }

  /** The filter in the same JSON form the API shows, so a stored group reads like its API representation. */
  static String filter(DeviceFilter filter) {
    return write(EntityJson.filter(filter));
  }

  static DeviceFilter filter(String text) {
    ObjectNode node = readObject("device_groups.filter", text);
    Map<String, String> tags = node.get("tags") instanceof ObjectNode t ? textMap(t) : Map.of();
    return new DeviceFilter(text(node, "profile"),
        text(node, "status").map(s -> DeviceStatus.fromWire("filter.status", s)),
        tags, text(node, "memberOf"), text(node, "idPrefix"),
        Optional.ofNullable(node.get("online")).filter(JsonNode::isBoolean).map(JsonNode::booleanValue));
  }

  private static Map<String, String> textMap(ObjectNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  private static Optional<String> text(ObjectNode node, String field) {
    return Optional.ofNullable(node.get(field)).filter(JsonNode::isTextual).map(JsonNode::asText);
  }

  private static StoreException corrupt(String column, Exception cause) {
    return new StoreException("The registry database holds a value in " + column
        + " that is not a JSON object; the row was changed outside Flotilla", cause);
  }
}
