package io.flotilla.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.Identifiers;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.acl.TopicRule;
import io.flotilla.core.device.DataClass;
import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.device.RetentionPolicy;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.telemetry.TelemetrySchema;
import io.flotilla.core.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Device profiles: the types that devices are registered as. */
public final class ProfileService {
  static final Set<String> CREATE_FIELDS = Set.of("id", "name", "description", "telemetrySchema", "defaultTwin",
      "classification", RetentionFields.FIELD);
  static final Set<String> PATCH_FIELDS = Set.of("name", "description", "telemetrySchema", "defaultTwin",
      "classification", RetentionFields.FIELD);
  /** Twin documents are bounded like the most generous of the big clouds: 32 KiB and 10 levels. */
  static final int MAX_DOCUMENT_BYTES = 32 * 1024;
  static final int MAX_DOCUMENT_DEPTH = 10;

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;

  public ProfileService(RegistryStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
  }

  public DeviceProfile create(Principal principal, ObjectNode body) {
    principal.require(Permission.REGISTRY_WRITE);
    FieldReader r = FieldReader.of(body, CREATE_FIELDS);
    String id = r.string("id").orElse("");
    if (!r.hasErrorAt("id") && !Identifiers.isEntityId(id)) {
      r.error("id", id.isEmpty() ? "is required" : Identifiers.describeInvalid(id));
    }
    Instant now = clock.instant();
    DeviceProfile profile = read(r, principal.tenant(), id, now, now, 1);
    return store.write(tx -> {
      try {
        tx.profiles().insert(profile);
      } catch (DuplicateKeyException e) {
        throw new ConflictException("a device profile with id '" + id + "' exists already in this tenant");
      }
      audit.record(tx, principal, "profile.create", "profile", id, AuditTrail.ABSENT, EntityJson.profile(profile));
      return profile;
    });
  }

  public DeviceProfile get(Principal principal, String id) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> find(tx, principal.tenant(), id));
  }

  public List<DeviceProfile> list(Principal principal) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> tx.profiles().list(principal.tenant()));
  }

  public DeviceProfile patch(Principal principal, String id, ObjectNode patch, Optional<Long> ifMatch) {
    principal.require(Permission.REGISTRY_WRITE);
    FieldReader.of(patch, PATCH_FIELDS).throwIfErrors();
    return store.write(tx -> {
      DeviceProfile current = find(tx, principal.tenant(), id);
      Versions.check("profile", id, ifMatch, current.version());
      ObjectNode editable = EntityJson.profile(current);
      editable.retain(PATCH_FIELDS);
      // The profile's own retention, not the default it shows: a patch that leaves retention alone must leave
      // a profile that follows the default following it.
      current.retention().ifPresentOrElse(own -> editable.set(RetentionFields.FIELD, EntityJson.retention(own)),
          () -> editable.remove(RetentionFields.FIELD));
      JsonNode merged = Json.mergePatch(editable, patch);
      DeviceProfile updated = read(FieldReader.of((ObjectNode) merged, PATCH_FIELDS), principal.tenant(), id,
          current.createdAt(), clock.instant(), current.version() + 1);
      Versions.requireUpdated(tx.profiles().update(updated, current.version()), "profile", id);
      audit.record(tx, principal, "profile.update", "profile", id, EntityJson.profile(current),
          EntityJson.profile(updated));
      return updated;
    });
  }

  public void delete(Principal principal, String id, Optional<Long> ifMatch) {
    principal.require(Permission.REGISTRY_WRITE);
    store.write(tx -> {
      DeviceProfile current = find(tx, principal.tenant(), id);
      Versions.check("profile", id, ifMatch, current.version());
      long users = tx.devices().countByProfile(principal.tenant(), id);
      if (users > 0) {
        throw new ConflictException("device profile '" + id + "' is used by " + users
            + " devices; move or delete them first");
      }
      List<String> rules = tx.topicRules().list(principal.tenant()).stream()
          .filter(rule -> rule.profileId().equals(Optional.of(id))).map(TopicRule::id).toList();
      if (!rules.isEmpty()) {
        throw new ConflictException("device profile '" + id + "' is named by the topic rules " + rules
            + "; change or delete them first");
      }
      tx.profiles().delete(principal.tenant(), id);
      audit.record(tx, principal, "profile.delete", "profile", id, EntityJson.profile(current), AuditTrail.ABSENT);
      return null;
    });
  }

  private static DeviceProfile find(RegistryTx tx, TenantId tenant, String id) {
    return tx.profiles().find(tenant, id).orElseThrow(() -> new NotFoundException("device profile", id));
  }

  private static DeviceProfile read(FieldReader r, TenantId tenant, String id, Instant created, Instant updated,
      long version) {
    String name = Texts.name(r, "name", r.string("name").orElse(id));
    String description = Texts.description(r, "description", r.string("description").orElse(""));
    Optional<ObjectNode> schema = r.object("telemetrySchema");
    schema.ifPresent(s -> checkDocument(r, "telemetrySchema", s));
    if (schema.isPresent() && !r.hasErrorAt("telemetrySchema")) {
      try {
        TelemetrySchema.compile(schema.get());
      } catch (ValidationException e) {
        e.errors().forEach(error -> r.error("telemetrySchema", error.message()));
      }
    }
    ObjectNode defaultTwin = r.object("defaultTwin").orElseGet(Json::object);
    checkDocument(r, "defaultTwin", defaultTwin);
    Map<String, DataClass> classification = new LinkedHashMap<>();
    r.stringMap("classification").forEach((field, value) -> {
      try {
        classification.put(field, DataClass.fromWire("classification." + field, value));
      } catch (ValidationException e) {
        r.error("classification." + field, e.errors().get(0).message());
      }
    });
    Optional<RetentionPolicy> retention = RetentionFields.read(r);
    r.throwIfErrors();
    return new DeviceProfile(tenant, id, name, description, schema, defaultTwin, classification, retention, created,
        updated, version);
  }

  private static void checkDocument(FieldReader r, String field, ObjectNode document) {
    int bytes = Json.write(document).length();
    if (bytes > MAX_DOCUMENT_BYTES) {
      r.error(field, "is " + bytes + " bytes; at most " + MAX_DOCUMENT_BYTES + " are allowed");
    } else if (Json.depth(document) > MAX_DOCUMENT_DEPTH) {
      r.error(field, "is nested deeper than " + MAX_DOCUMENT_DEPTH + " levels");
    }
  }
}
