package io.flotilla.core.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.error.LimitExceededException;
import io.flotilla.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The pure computations on twin sections: delta, per-leaf metadata, limits and the leaves the index keeps. */
public final class TwinDocuments {
  /** The key each metadata leaf holds. */
  public static final String UPDATED_AT = "updatedAt";

  private TwinDocuments() {}

  /**
   * The desired values that reported does not match: objects are compared key by key (a key only reported is
   * ignored), anything else (strings, numbers, booleans, arrays) as a whole. Empty when the device is in sync.
   */
  public static ObjectNode delta(JsonNode desired, JsonNode reported) {
    ObjectNode delta = Json.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode want = e.getValue();
      JsonNode have = reported.path(e.getKey());
      if (want.isObject() && have.isObject()) {
        ObjectNode nested = delta(want, have);
        if (!nested.isEmpty()) {
          delta.set(e.getKey(), nested);
        }
      } else if (!want.equals(have)) {
        delta.set(e.getKey(), want.deepCopy());
      }
    }
    return delta;
  }

  /**
   * The metadata of {@code section} after {@code patch} made it: the section's shape with {@code {"updatedAt":…}}
   * at each leaf (scalars, arrays, empty objects); leaves the patch set get {@code at}, the others keep what
   * {@code previous} said.
   */
  public static ObjectNode metadata(JsonNode section, JsonNode patch, JsonNode previous, Instant at) {
    ObjectNode out = Json.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode value = e.getValue();
      JsonNode touched = patch.path(e.getKey());
      JsonNode before = previous.path(e.getKey());
      if (value.isObject() && !value.isEmpty()) {
        out.set(e.getKey(), metadata(value, touched.isObject() ? touched : MissingNode.getInstance(),
            before.isObject() ? before : MissingNode.getInstance(), at));
      } else if (touched.isMissingNode() && before.isObject() && before.path(UPDATED_AT).isTextual()
          && before.size() == 1) {
        out.set(e.getKey(), before.deepCopy());
      } else {
        out.putObject(e.getKey()).put(UPDATED_AT, at.toString());
      }
    }
    return out;
  }

  /** Refuses a section over the size or depth limit, naming the section, its size and the limit. */
  public static void requireWithinLimits(String section, JsonNode value, TwinLimits limits) {
    int depth = Json.depth(value);
    if (depth > limits.maxDepth()) {
      throw new LimitExceededException("too-deep", section + " would be nested " + depth + " levels deep, deeper than "
          + "the limit of " + limits.maxDepth() + "; flatten the document");
    }
    int bytes = Json.write(value).getBytes(StandardCharsets.UTF_8).length;
    if (bytes > limits.maxSectionBytes()) {
      throw new LimitExceededException("too-large", section + " would be " + bytes + " bytes of JSON, more than the "
          + "limit of " + limits.maxSectionBytes() + " bytes per section; remove fields with null in the patch or "
          + "keep large data elsewhere");
    }
  }

  /** The scalar leaves of both sections, as the query index keeps them; arrays and their contents are left out. */
  /**
   * Longer strings (certificates, blobs) are not indexed: nobody queries by them, and a PostgreSQL B-tree entry
   * holds about 2.7 KB at most.
   */
  static final int MAX_INDEXED_TEXT = 256;

  public static List<TwinLeaf> leaves(JsonNode desired, JsonNode reported) {
    List<TwinLeaf> leaves = new ArrayList<>();
    collect("desired", desired, leaves);
    collect("reported", reported, leaves);
    return leaves;
  }

  private static void collect(String path, JsonNode node, List<TwinLeaf> into) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        collect(path + "." + e.getKey(), e.getValue(), into);
      }
    } else if (node.isTextual() && node.textValue().length() <= MAX_INDEXED_TEXT) {
      into.add(new TwinLeaf(path, TwinLeaf.Kind.STRING, node.textValue(), 0));
    } else if (node.isNumber()) {
      into.add(new TwinLeaf(path, TwinLeaf.Kind.NUMBER, "", node.doubleValue()));
    } else if (node.isBoolean()) {
      into.add(new TwinLeaf(path, TwinLeaf.Kind.BOOLEAN, "", node.booleanValue() ? 1 : 0));
    }
  }
}
