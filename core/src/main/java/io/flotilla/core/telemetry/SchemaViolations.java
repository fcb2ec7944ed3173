package io.flotilla.core.telemetry;

import com.networknt.schema.Error;
import tools.jackson.databind.JsonNode;

/**
 * Turns the validator's errors into short violations. The common refusals get terse texts a device
 * developer reads at a glance ({@code /temperature: must be <= 150}); the rest keep the validator's
 * wording.
 */
final class SchemaViolations {
  private SchemaViolations() {}

  /**
   * @param prefix JSON pointer of the reading in the payload: empty, or {@code /3} in a batch
   * @param schema the schema's root, to see draft-04's boolean {@code exclusiveMaximum} beside {@code maximum}
   */
  static TelemetryViolation of(Error error, String prefix, JsonNode schema) {
    String path = prefix + error.getInstanceLocation().toString();
    Object[] args = error.getArguments();
    String keyword = String.valueOf(error.getMessageKey());
    if (keyword.equals("required") || keyword.equals("additionalProperties")) {
      String property = error.getProperty();
      if (property != null) {
        return new TelemetryViolation(path + "/" + escape(property),
            keyword.equals("required") ? "is required" : "is not allowed by the schema");
      }
    }
    String message = args == null || args.length == 0 ? error.getMessage() : switch (keyword) {
      case "minimum" -> (exclusive(error, schema, "exclusiveMinimum") ? "must be > " : "must be >= ") + args[0];
      case "maximum" -> (exclusive(error, schema, "exclusiveMaximum") ? "must be < " : "must be <= ") + args[0];
      case "exclusiveMinimum" -> "must be > " + args[0];
      case "exclusiveMaximum" -> "must be < " + args[0];
      case "type" -> args.length > 1 ? "must be " + args[1] + ", not " + args[0] : error.getMessage();
      case "enum" -> "must be one of " + args[0];
      default -> error.getMessage();
    };
    return new TelemetryViolation(path, message);
  }

  private static boolean exclusive(Error error, JsonNode schema, String sibling) {
    String at = error.getSchemaLocation().getFragment().toString();
    int slash = at.lastIndexOf('/');
    return slash >= 0 && schema.at(at.substring(0, slash)).path(sibling).asBoolean(false);
  }

  /** JSON pointer escaping of one reference token (RFC 6901). */
  static String escape(String token) {
    return token.indexOf('~') < 0 && token.indexOf('/') < 0 ? token
        : token.replace("~", "~0").replace("/", "~1");
  }
}
