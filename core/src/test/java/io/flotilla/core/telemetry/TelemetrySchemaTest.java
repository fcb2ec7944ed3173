package io.flotilla.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.error.FieldError;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetrySchemaTest {
  static final String THERMO = """
      {"type":"object",
       "properties":{
         "temperature":{"type":"number","minimum":-40,"maximum":150},
         "humidity":{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":100},
         "on":{"type":"boolean"},
         "mode":{"type":"string","enum":["eco","boost"]},
         "engine":{"type":"object","properties":{"rpm":{"type":"integer","minimum":0}}}},
       "required":["temperature"],
       "additionalProperties":false}""";

  static ObjectNode json(String text) {
    return (ObjectNode) Json.readTrusted(text);
  }

  static List<String> violations(String schema, String reading) {
    return TelemetrySchema.compile(json(schema)).validate(Json.readTrusted(reading)).stream()
        .map(TelemetryViolation::text).toList();
  }

  static ValidationException refusal(String schema) {
    try {
      TelemetrySchema.compile(json(schema));
    } catch (ValidationException e) {
      assertThat(e.errors()).extracting(FieldError::field).containsOnly("telemetrySchema");
      return e;
    }
    throw new AssertionError("schema compiled: " + schema);
  }

  /** A reading inside every range, with ts (which the schema does not declare), conforms. */
  @Test
  void conformingReadingHasNoViolationsAndTsIsIgnored() {
    assertThat(violations(THERMO, "{\"ts\":1748779200000,\"temperature\":21.5,\"humidity\":40,\"on\":true,"
        + "\"mode\":\"eco\",\"engine\":{\"rpm\":900}}")).isEmpty();
  }

  /** Ranges refuse values outside them, inclusive and exclusive, with short texts. */
  @Test
  void rangesRefuseOutOfRangeValues() {
    assertThat(violations(THERMO, "{\"temperature\":150.5}")).containsExactly("/temperature: must be <= 150");
    assertThat(violations(THERMO, "{\"temperature\":-41}")).containsExactly("/temperature: must be >= -40");
    assertThat(violations(THERMO, "{\"temperature\":150,\"humidity\":100}")).containsExactly("/humidity: must be < 100");
    assertThat(violations(THERMO, "{\"temperature\":-40,\"humidity\":0}")).containsExactly("/humidity: must be > 0");
    assertThat(violations(THERMO, "{\"temperature\":1,\"engine\":{\"rpm\":-1}}"))
        .containsExactly("/engine/rpm: must be >= 0");
  }

  /** Wrong types, missing required values, unknown keys and values outside an enum are each named. */
  @Test
  void typeRequiredAdditionalPropertiesAndEnumAreReported() {
    assertThat(violations(THERMO, "{\"temperature\":\"hot\"}")).containsExactly("/temperature: must be number, not string");
    assertThat(violations(THERMO, "{\"temperature\":1,\"engine\":{\"rpm\":1.5}}"))
        .containsExactly("/engine/rpm: must be integer, not number");
    assertThat(violations(THERMO, "{\"humidity\":5}")).containsExactly("/temperature: is required");
    assertThat(violations(THERMO, "{\"temperature\":1,\"pressure\":2}"))
        .containsExactly("/pressure: is not allowed by the schema");
    assertThat(violations(THERMO, "{\"temperature\":1,\"mode\":\"turbo\"}"))
        .containsExactly("/mode: must be one of [\"eco\", \"boost\"]");
  }

  /** Every violation is listed, not only the first. */
  @Test
  void everyViolationIsListed() {
    assertThat(violations(THERMO, "{\"temperature\":200,\"on\":1,\"x/y\":2}")).containsExactlyInAnyOrder(
        "/temperature: must be <= 150", "/on: must be boolean, not integer", "/x~1y: is not allowed by the schema");
  }

  /** A schema naming draft-04 is read as draft-04: there exclusiveMaximum is a boolean beside maximum. */
  @Test
  void declaredDialectIsHonoured() {
    String draft4 = "{\"$schema\":\"http://json-schema.org/draft-04/schema#\","
        + "\"properties\":{\"t\":{\"maximum\":5,\"exclusiveMaximum\":true}}}";
    assertThat(violations(draft4, "{\"t\":4.9}")).isEmpty();
    assertThat(violations(draft4, "{\"t\":5}")).containsExactly("/t: must be < 5");
    assertThat(refusal("{\"properties\":{\"t\":{\"maximum\":5,\"exclusiveMaximum\":true}}}").getMessage())
        .isEqualTo("telemetrySchema: /properties/t/exclusiveMaximum: boolean found, number expected");
    String draft7 = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"properties\":{\"t\":{\"exclusiveMaximum\":5}}}";
    assertThat(violations(draft7, "{\"t\":5}")).containsExactly("/t: must be < 5");
  }

  /** A schema that breaks its meta-schema is refused at field telemetrySchema, naming where. */
  @Test
  void invalidSchemaIsRefusedNamingTheProblem() {
    assertThat(refusal("{\"properties\":{\"t\":{\"minimum\":\"low\"}}}").getMessage())
        .isEqualTo("telemetrySchema: /properties/t/minimum: string found, number expected");
    assertThat(refusal("{\"type\":\"nonsense\"}").errors()).extracting(FieldError::message)
        .anyMatch(m -> m.startsWith("/type: does not have a value in the enumeration"));
    assertThat(refusal("{\"properties\":5}").getMessage())
        .isEqualTo("telemetrySchema: /properties: integer found, object expected");
    assertThat(refusal("{\"required\":\"temperature\"}").getMessage())
        .isEqualTo("telemetrySchema: /required: string found, array expected");
  }

  /** Unknown dialects, dangling and remote references and broken patterns do not compile. */
  @Test
  void schemasThatCannotCompileAreRefused() {
    assertThat(refusal("{\"$schema\":\"https://example.com/my-dialect\"}").getMessage())
        .startsWith("telemetrySchema: $schema \"https://example.com/my-dialect\" is not a dialect this server knows");
    assertThat(refusal("{\"$ref\":\"#/$defs/missing\"}").getMessage())
        .isEqualTo("telemetrySchema: cannot be compiled: Reference /$defs/missing cannot be resolved");
    assertThat(refusal("{\"$ref\":\"http://127.0.0.1:9/schema.json\"}").getMessage())
        .isEqualTo("telemetrySchema: cannot be compiled: $ref to http://127.0.0.1:9/schema.json cannot be resolved; "
            + "a schema must be self-contained");
    assertThat(refusal("{\"properties\":{\"s\":{\"pattern\":\"[\"}}}").getMessage())
        .startsWith("telemetrySchema: cannot be compiled: ").contains("Unclosed character class");
  }

  /** References inside the schema work. */
  @Test
  void localReferencesResolve() {
    String schema = "{\"$defs\":{\"pct\":{\"type\":\"number\",\"minimum\":0,\"maximum\":100}},"
        + "\"properties\":{\"battery\":{\"$ref\":\"#/$defs/pct\"}}}";
    assertThat(violations(schema, "{\"battery\":101}")).containsExactly("/battery: must be <= 100");
    assertThat(violations(schema, "{\"battery\":99}")).isEmpty();
  }

  /** An $id in one schema is not visible to another compiled schema (each has its own registry). */
  @Test
  void schemasDoNotSeeEachOthersIds() {
    TelemetrySchema.compile(json("{\"$id\":\"https://tenant-a.example/pct\",\"maximum\":1}"));
    assertThat(refusal("{\"$ref\":\"https://tenant-a.example/pct\"}").getMessage())
        .startsWith("telemetrySchema: cannot be compiled: ");
  }
}
