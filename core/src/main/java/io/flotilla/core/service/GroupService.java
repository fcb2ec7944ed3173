package io.flotilla.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.Identifiers;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.group.DeviceGroup;
import io.flotilla.core.group.GroupType;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Static groups (explicit members) and dynamic groups (a saved filter). */
public final class GroupService {
  static final Set<String> CREATE_FIELDS = Set.of("id", "name", "description", "type", "filter");
  static final Set<String> PATCH_FIELDS = Set.of("name", "description", "filter");
  public static final int MAX_MEMBERS_PER_CALL = 10_000;

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;

  public GroupService(RegistryStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
  }

  public DeviceGroup create(Principal principal, ObjectNode body) {
    principal.require(Permission.REGISTRY_WRITE);
    FieldReader r = FieldReader.of(body, CREATE_FIELDS);
    String id = r.string("id").orElse("");
    if (!r.hasErrorAt("id") && !Identifiers.isEntityId(id)) {
      r.error("id", id.isEmpty() ? "is required" : Identifiers.describeInvalid(id));
    }
    GroupType type = GroupType.STATIC;
    try {
      type = GroupType.fromWire(r.string("type").orElse("static"));
    } catch (ValidationException e) {
      r.error("type", e.errors().get(0).message());
    }
    Instant now = clock.instant();
    DeviceGroup group = read(r, principal.tenant(), id, type, now, now, 1);
    return store.write(tx -> {
      checkMemberOf(tx, principal.tenant(), group);
      try {
        tx.groups().insert(group);
      } catch (DuplicateKeyException e) {
        throw new ConflictException("a group with id '" + id + "' exists already in this tenant");
      }
      audit.record(tx, principal, "group.create", "group", id, AuditTrail.ABSENT, EntityJson.group(group));
      return group;
    });
  }

  public DeviceGroup get(Principal principal, String id) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> find(tx, principal.tenant(), id));
  }

  public List<DeviceGroup> list(Principal principal) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> tx.groups().list(principal.tenant()));
  }

  public DeviceGroup patch(Principal principal, String id, ObjectNode patch, Optional<Long> ifMatch) {
    principal.require(Permission.REGISTRY_WRITE);
    FieldReader.of(patch, PATCH_FIELDS).throwIfErrors();
    return store.write(tx -> {
      DeviceGroup current = find(tx, principal.tenant(), id);
      Versions.check("group", id, ifMatch, current.version());
      ObjectNode editable = EntityJson.group(current);
      editable.retain(PATCH_FIELDS);
      JsonNode merged = Json.mergePatch(editable, patch);
      DeviceGroup updated = read(FieldReader.of((ObjectNode) merged, PATCH_FIELDS), principal.tenant(), id,
          current.type(), current.createdAt(), clock.instant(), current.version() + 1);
      checkMemberOf(tx, principal.tenant(), updated);
      Versions.requireUpdated(tx.groups().update(updated, current.version()), "group", id);
      audit.record(tx, principal, "group.update", "group", id, EntityJson.group(current), EntityJson.group(updated));
      return updated;
    });
  }

  public void delete(Principal principal, String id, Optional<Long> ifMatch) {
    principal.require(Permission.REGISTRY_WRITE);
    store.write(tx -> {
      DeviceGroup current = find(tx, principal.tenant(), id);
      Versions.check("group", id, ifMatch, current.version());
      List<String> dependents = tx.groups().list(principal.tenant()).stream()
          .filter(g -> g.filter().flatMap(DeviceFilter::memberOf).filter(id::equals).isPresent())
          .map(DeviceGroup::id).toList();
      if (!dependents.isEmpty()) {
        throw new ConflictException("group '" + id + "' is used by the filter of dynamic groups " + dependents
            + "; change or delete them first");
      }
      tx.groups().delete(principal.tenant(), id);
      audit.record(tx, principal, "group.delete", "group", id, EntityJson.group(current), AuditTrail.ABSENT);
      return null;
    });
  }

  /** Adds devices to a static group; every id must name an existing device. Returns how many were new members. */
  public int addMembers(Principal principal, String id, List<String> deviceIds) {
    principal.require(Permission.REGISTRY_WRITE);
    if (deviceIds.isEmpty() || deviceIds.size() > MAX_MEMBERS_PER_CALL) {
      throw new ValidationException("deviceIds", "must list 1 to " + MAX_MEMBERS_PER_CALL + " device ids");
    }
    return store.write(tx -> {
      DeviceGroup group = requireStatic(tx, principal.tenant(), id);
      Set<DeviceId> wanted = new LinkedHashSet<>();
      List<String> unknown = new ArrayList<>();
      for (String deviceId : deviceIds) {
        if (Identifiers.isEntityId(deviceId)) {
          wanted.add(new DeviceId(deviceId));
        } else {
          unknown.add(deviceId);
        }
      }
      Set<DeviceId> existing = tx.devices().existing(principal.tenant(), wanted);
      wanted.stream().filter(d -> !existing.contains(d)).forEach(d -> unknown.add(d.value()));
      if (!unknown.isEmpty()) {
        throw new ValidationException("deviceIds", "no such devices in this tenant: "
            + String.join(", ", unknown.subList(0, Math.min(20, unknown.size())))
            + (unknown.size() > 20 ? " and " + (unknown.size() - 20) + " more" : ""));
      }
      int added = tx.groups().addMembers(principal.tenant(), group.id(), wanted);
      ObjectNode change = Json.object().put("group", id);
      change.set("added", Json.MAPPER.valueToTree(deviceIds));
      audit.record(tx, principal, "group.add-members", "group", id, AuditTrail.ABSENT, change);
      return added;
    });
  }

  public void removeMember(Principal principal, String id, String deviceId) {
    principal.require(Permission.REGISTRY_WRITE);
    store.write(tx -> {
      DeviceGroup group = requireStatic(tx, principal.tenant(), id);
      if (!Identifiers.isEntityId(deviceId) || !tx.groups().removeMember(principal.tenant(), group.id(),
          new DeviceId(deviceId))) {
        throw new NotFoundException("member of group '" + id + "'", deviceId);
      }
      ObjectNode change = Json.object().put("group", id).put("removed", deviceId);
      audit.record(tx, principal, "group.remove-member", "group", id, AuditTrail.ABSENT, change);
      return null;
    });
  }

  private static DeviceGroup find(RegistryTx tx, TenantId tenant, String id) {
    return tx.groups().find(tenant, id).orElseThrow(() -> new NotFoundException("group", id));
  }

  private static DeviceGroup requireStatic(RegistryTx tx, TenantId tenant, String id) {
    DeviceGroup group = find(tx, tenant, id);
    if (group.type() != GroupType.STATIC) {
      throw new ConflictException("group '" + id + "' is dynamic: its members are the devices matching its filter");
    }
    return group;
  }

  /** A dynamic filter may narrow to a static group's members, but not to a dynamic group (no cycles). */
  private static void checkMemberOf(RegistryTx tx, TenantId tenant, DeviceGroup group) {
    Optional<String> memberOf = group.filter().flatMap(DeviceFilter::memberOf);
    if (memberOf.isPresent()) {
      Optional<DeviceGroup> target = tx.groups().find(tenant, memberOf.get());
      if (target.isEmpty() || target.get().type() != GroupType.STATIC) {
        throw new ValidationException("filter.memberOf", "must name an existing static group");
      }
    }
  }

  private static DeviceGroup read(FieldReader r, TenantId tenant, String id, GroupType type, Instant created,
      Instant updated, long version) {
    String name = Texts.name(r, "name", r.string("name").orElse(id));
    String description = Texts.description(r, "description", r.string("description").orElse(""));
    Optional<DeviceFilter> filter = Optional.empty();
    boolean hasFilter = r.object("filter").isPresent();
    if (type == GroupType.DYNAMIC && hasFilter) {
      filter = Optional.of(DeviceFilters.read(r, "filter"));
    } else if (type == GroupType.DYNAMIC && !r.hasErrorAt("filter")) {
      r.error("filter", "is required for a dynamic group, e.g. {\"tags\":{\"site\":\"berlin\"}}");
    } else if (type == GroupType.STATIC && hasFilter) {
      r.error("filter", "is only allowed on dynamic groups; a static group lists its members");
    }
    r.throwIfErrors();
    return new DeviceGroup(tenant, id, name, description, type, filter, created, updated, version);
  }
}
