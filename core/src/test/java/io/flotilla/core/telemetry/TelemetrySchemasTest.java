package io.flotilla.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.Json;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TelemetrySchemasTest {
  static final TenantId ACME = new TenantId("acme");
  static final TenantId GLOBEX = new TenantId("globex");
  static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");

  static DeviceProfile profile(TenantId tenant, String id, long version, String schema) {
    Optional<ObjectNode> telemetrySchema = Optional.ofNullable(schema).map(s -> (ObjectNode) Json.readTrusted(s));
    return new DeviceProfile(tenant, id, id, "", telemetrySchema, Json.object(), Map.of(), Optional.empty(), T0, T0,
        version);
  }

  static String max(int limit) {
    return "{\"properties\":{\"t\":{\"maximum\":" + limit + "}}}";
  }

  static boolean accepts(TelemetrySchema schema, int t) {
    return schema.validate(Json.readTrusted("{\"t\":" + t + "}")).isEmpty();
  }

  /** The same profile version is compiled once and the compiled schema reused. */
  @Test
  void sameVersionIsCompiledOnce() {
    TelemetrySchemas schemas = new TelemetrySchemas(10);
    TelemetrySchema first = schemas.of(profile(ACME, "thermo", 1, max(10))).orElseThrow();
    TelemetrySchema again = schemas.of(profile(ACME, "thermo", 1, max(10))).orElseThrow();
    assertThat(again).isSameAs(first);
    assertThat(schemas.compilations()).isEqualTo(1);
  }

  /** A new profile version replaces the cached schema; the old rules no longer apply. */
  @Test
  void newVersionIsCompiledAfreshAndReplacesTheOld() {
    TelemetrySchemas schemas = new TelemetrySchemas(10);
    TelemetrySchema v1 = schemas.of(profile(ACME, "thermo", 1, max(10))).orElseThrow();
    TelemetrySchema v2 = schemas.of(profile(ACME, "thermo", 2, max(20))).orElseThrow();
    assertThat(accepts(v1, 15)).isFalse();
    assertThat(accepts(v2, 15)).isTrue();
    assertThat(schemas.compilations()).isEqualTo(2);
    assertThat(schemas.size()).isEqualTo(1);
    assertThat(schemas.of(profile(ACME, "thermo", 2, max(20)))).containsSame(v2);
  }

  /** Profiles of the same id in two tenants have separate entries. */
  @Test
  void tenantsAreKeptApart() {
    TelemetrySchemas schemas = new TelemetrySchemas(10);
    TelemetrySchema acme = schemas.of(profile(ACME, "thermo", 1, max(10))).orElseThrow();
    TelemetrySchema globex = schemas.of(profile(GLOBEX, "thermo", 1, max(20))).orElseThrow();
    assertThat(accepts(acme, 15)).isFalse();
    assertThat(accepts(globex, 15)).isTrue();
  }

  /** A profile without a schema has none, and a schema removed by an update leaves the cache. */
  @Test
  void profileWithoutSchemaHasNone() {
    TelemetrySchemas schemas = new TelemetrySchemas(10);
    schemas.of(profile(ACME, "thermo", 1, max(10)));
    assertThat(schemas.of(profile(ACME, "thermo", 2, null))).isEmpty();
    assertThat(schemas.size()).isZero();
  }

  /** A stored schema that does not compile fails every time, but is compiled only once per version. */
  @Test
  void brokenSchemaIsRememberedAsBroken() {
    TelemetrySchemas schemas = new TelemetrySchemas(10);
    DeviceProfile broken = profile(ACME, "thermo", 3, "{\"minimum\":\"low\"}");
    assertThatThrownBy(() -> schemas.of(broken)).isInstanceOf(ValidationException.class)
        .hasMessage("telemetrySchema: /minimum: string found, number expected");
    assertThatThrownBy(() -> schemas.of(broken)).isInstanceOf(ValidationException.class);
    assertThat(schemas.compilations()).isEqualTo(1);
  }

  /** The cache stays within its capacity, dropping the least recently used. */
  @Test
  void cacheIsBoundedAndDropsTheLeastRecentlyUsed() {
    TelemetrySchemas schemas = new TelemetrySchemas(3);
    for (int i = 0; i < 3; i++) {
      schemas.of(profile(ACME, "p" + i, 1, max(i)));
    }
    schemas.of(profile(ACME, "p0", 1, max(0)));
    schemas.of(profile(ACME, "p3", 1, max(3)));
    assertThat(schemas.size()).isLessThanOrEqualTo(3);
    long compiled = schemas.compilations();
    schemas.of(profile(ACME, "p0", 1, max(0)));
    schemas.of(profile(ACME, "p3", 1, max(3)));
    assertThat(schemas.compilations()).as("recently used entries survive").isEqualTo(compiled);
    schemas.of(profile(ACME, "p1", 1, max(1)));
    assertThat(schemas.compilations()).as("the least recently used was dropped").isEqualTo(compiled + 1);
  }
}
