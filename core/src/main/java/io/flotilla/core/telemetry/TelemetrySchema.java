package io.flotilla.core.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.flotilla.core.error.FieldError;
import io.flotilla.core.error.ValidationException;
import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A device profile's telemetry schema, compiled once and used for every reading of its devices.
 * Thread-safe: one instance validates on any number of threads.
 *
 * <p>The schema is a JSON Schema describing <em>one reading object as the device sends it</em>: nested
 * objects as objects (not flattened), and without {@code ts}, which is the device's time rather than
 * data — {@code ts} is removed from the reading before validation, so a schema neither needs to declare
 * it nor can refuse it ({@code additionalProperties: false} does not trip over it). Physical ranges are
 * declared with {@code minimum}, {@code maximum}, {@code exclusiveMinimum} and {@code exclusiveMaximum}.
 *
 * <p>The dialect is JSON Schema 2020-12 unless the schema's {@code $schema} names another one the
 * validator knows (2019-09, draft 7, 6 or 4). A schema must be self-contained: {@code $ref} resolves only
 * within it, and nothing is ever fetched from the network (a tenant must not make the server fetch URLs).
 */
public final class TelemetrySchema {
  /** The profile field whose errors these are. */
  public static final String FIELD = "telemetrySchema";
  private static final int MAX_SCHEMA_ERRORS = 10;
  private static final SchemaRegistry META_REGISTRY = registry();
  private static final Map<SpecificationVersion, Schema> META_SCHEMAS = new EnumMap<>(SpecificationVersion.class);

  private final Schema schema;
  private final tools.jackson.databind.JsonNode root;

  private TelemetrySchema(Schema schema, tools.jackson.databind.JsonNode root) {
    this.schema = schema;
    this.root = root;
  }

  /**
   * Compiles a profile's schema.
   *
   * @throws ValidationException at field {@value #FIELD} when the schema does not follow its dialect's
   *     meta-schema, names an unknown dialect, or cannot be compiled (an unresolvable {@code $ref}, an
   *     invalid pattern), with a message naming the problem and where it is in the schema
   */
  public static TelemetrySchema compile(ObjectNode schema) {
    tools.jackson.databind.JsonNode node = Jackson3Trees.copy(schema);
    List<FieldError> problems = new ArrayList<>();
    for (Error error : metaSchema(dialect(schema)).validate(node)) {
      if (problems.size() == MAX_SCHEMA_ERRORS) {
        break;
      }
      String at = error.getInstanceLocation().toString();
      problems.add(new FieldError(FIELD, (at.isEmpty() ? "" : at + ": ") + error.getMessage()));
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
    try {
      // A registry of its own per schema: an $id in one tenant's schema must never resolve in another's.
      Schema compiled = registry().getSchema(node);
      compiled.initializeValidators();
      return new TelemetrySchema(compiled, node);
    } catch (RuntimeException e) {
      throw new ValidationException(FIELD, "cannot be compiled: " + describe(e));
    }
  }

  /**
   * Validates one reading object as the device sent it (its top-level {@code ts} is ignored).
   *
   * @return every violation, paths as JSON pointers into the reading; empty when it conforms
   */
  public List<TelemetryViolation> validate(JsonNode reading) {
    return validate(reading, "");
  }

  /** As {@link #validate(JsonNode)}, paths prefixed with the reading's pointer in its payload. */
  List<TelemetryViolation> validate(JsonNode reading, String prefix) {
    List<Error> errors = schema.validate(Jackson3Trees.reading(reading));
    if (errors.isEmpty()) {
      return List.of();
    }
    List<TelemetryViolation> violations = new ArrayList<>(errors.size());
    for (Error error : errors) {
      violations.add(SchemaViolations.of(error, prefix, root));
    }
    return violations;
  }

  private static SpecificationVersion dialect(ObjectNode schema) {
    JsonNode declared = schema.get("$schema");
    if (declared == null) {
      return SpecificationVersion.DRAFT_2020_12;
    }
    Optional<SpecificationVersion> version = declared.isTextual()
        ? SpecificationVersion.fromDialectId(declared.textValue()) : Optional.empty();
    return version.orElseThrow(() -> new ValidationException(FIELD, "$schema " + declared
        + " is not a dialect this server knows; leave it out for JSON Schema 2020-12, or name "
        + "draft 2019-09, 7, 6 or 4 by its meta-schema URI"));
  }

  private static Schema metaSchema(SpecificationVersion version) {
    synchronized (META_SCHEMAS) {
      return META_SCHEMAS.computeIfAbsent(version, v -> {
        Schema meta = META_REGISTRY.getSchema(SchemaLocation.of(v.getDialectId()));
        meta.initializeValidators();
        return meta;
      });
    }
  }

  private static SchemaRegistry registry() {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false))
            .schemaRegistryConfig(SchemaRegistryConfig.builder().locale(Locale.ENGLISH).build()));
  }

  private static String describe(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FileNotFoundException missing) {
        return "$ref to " + missing.getMessage() + " cannot be resolved; a schema must be self-contained";
      }
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
