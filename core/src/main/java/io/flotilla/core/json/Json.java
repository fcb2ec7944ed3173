package io.flotilla.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The one ObjectMapper of the domain, and canonical JSON for hashing and comparing. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private Json() {}

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  public static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** Compact JSON with object keys sorted at every depth, so equal documents give equal text. */
  public static String canonical(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(sorted(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** Parses JSON text that this program wrote itself (stored columns); failures are bugs, not user errors. */
  public static JsonNode readTrusted(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON could not be read: " + e.getOriginalMessage(), e);
    }
  }

  /** RFC 7386 JSON merge patch: objects merge recursively, null removes, anything else replaces. */
  public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target.isObject() ? ((ObjectNode) target).deepCopy() : object();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        JsonNode current = result.path(e.getKey());
        result.set(e.getKey(), mergePatch(current.isMissingNode() ? object() : current, e.getValue()));
      }
    }
    return result;
  }

  /** Nesting depth: a scalar is 0, {@code {}} is 1, {@code {"a":{}}} is 2. */
  public static int depth(JsonNode node) {
    int max = 0;
    for (JsonNode child : node) {
      max = Math.max(max, depth(child));
    }
    return node.isContainerNode() ? max + 1 : 0;
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      ObjectNode out = object();
      for (String name : names) {
        out.set(name, sorted(node.get(name)));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = array();
      node.forEach(child -> out.add(sorted(child)));
      return out;
    }
    return node;
  }
}
