package io.flotilla.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.Principal;
import io.flotilla.core.error.FieldError;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The telemetry schema and retention checks of {@link ProfileService}. The store is never reached by a refused profile;
 * the store round trip of profiles is covered by store-sql's ProfileContract.
 */
class ProfileServiceTest {
  static final Principal ADMIN = Principal.system(new TenantId("acme"));

  /** Stands in for a store: any transaction means validation passed. */
  static final class StoreReached extends RuntimeException {
  }

  static final RegistryStore UNREACHABLE = new RegistryStore() {
    @Override
    public <T> T write(Work<T> work) {
      throw new StoreReached();
    }

    @Override
    public <T> T read(Work<T> work) {
      throw new StoreReached();
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public String engine() {
      return "none";
    }

    @Override
    public void close() {
    }
  };

  final ProfileService service =
      new ProfileService(UNREACHABLE, Clock.fixed(Instant.parse("2025-06-01T00:00:00Z"), ZoneOffset.UTC));

  static ObjectNode body(String json) {
    return (ObjectNode) Json.readTrusted(json);
  }

  /** A profile whose schema breaks the JSON Schema meta-schema is refused at field telemetrySchema. */
  @Test
  void invalidTelemetrySchemaIsRefusedBeforeTheStore() {
    assertThatThrownBy(() -> service.create(ADMIN,
        body("{\"id\":\"thermo\",\"telemetrySchema\":{\"properties\":{\"t\":{\"maximum\":\"hot\"}}}}")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).containsExactly(
            new FieldError("telemetrySchema", "/properties/t/maximum: string found, number expected")));
  }

  /** A schema that cannot compile (a dangling reference) is refused too. */
  @Test
  void uncompilableTelemetrySchemaIsRefused() {
    assertThatThrownBy(() -> service.create(ADMIN, body("{\"id\":\"thermo\",\"telemetrySchema\":{\"$ref\":\"#/nope\"}}")))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("telemetrySchema: cannot be compiled: ");
  }

  /** A valid schema passes validation and the profile goes on to the store. */
  @Test
  void validTelemetrySchemaReachesTheStore() {
    assertThatThrownBy(() -> service.create(ADMIN, body(
        "{\"id\":\"thermo\",\"telemetrySchema\":{\"type\":\"object\",\"properties\":{\"t\":{\"maximum\":150}}}}")))
        .isInstanceOf(StoreReached.class);
  }

  /** A retention that breaks the rules is refused before the store, with every problem under retention. */
  @Test
  void invalidRetentionIsRefusedBeforeTheStore() {
    assertThatThrownBy(() -> service.create(ADMIN,
        body("{\"id\":\"thermo\",\"retention\":{\"rawDays\":0,\"minuteDays\":40000,\"hourDays\":730}}")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).containsExactly(
            new FieldError("retention.rawDays", "is 0 but must be a whole number of days from 1 to 36500"),
            new FieldError("retention.minuteDays", "is 40000 but must be a whole number of days from 1 to 36500")));
  }

  /** A valid retention passes validation and the profile goes on to the store. */
  @Test
  void validRetentionReachesTheStore() {
    assertThatThrownBy(() -> service.create(ADMIN,
        body("{\"id\":\"thermo\",\"retention\":{\"rawDays\":1,\"minuteDays\":7,\"hourDays\":365}}")))
        .isInstanceOf(StoreReached.class);
  }
}
