package io.flotilla.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.Identifiers;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceCursor;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceSort;
import io.flotilla.core.device.PurgeMode;
import io.flotilla.core.device.Tombstone;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import io.flotilla.core.paging.Page;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Registers, lists, changes and removes devices; every change is audited in the same transaction. */
public final class DeviceService {
  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;
  private final GroupResolver groups = new GroupResolver();
  private final DomainEvents events;

  public DeviceService(RegistryStore store, Clock clock, DomainEvents events) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
    this.events = events;
  }

  public Device create(Principal principal, ObjectNode body) {
    principal.require(Permission.REGISTRY_WRITE);
    FieldReader r = FieldReader.of(body, DeviceFields.CREATE_FIELDS);
    String id = r.string("id").orElse("");
    if (!r.hasErrorAt("id") && !Identifiers.isEntityId(id)) {
      r.error("id", id.isEmpty() ? "is required" : Identifiers.describeInvalid(id));
    }
    Optional<DeviceFields> fields = DeviceFields.read(r, id);
    r.throwIfErrors();
    Instant now = clock.instant();
    DeviceFields f = fields.orElseThrow();
    Device device = new Device(principal.tenant(), new DeviceId(id), f.name(), f.profile(), f.status(), f.tags(),
        f.attributes(), now, now, 1);
    Device created = store.write(tx -> {
      requireProfile(tx, principal.tenant(), f.profile(), "profile");
      tx.tombstones().find(principal.tenant(), device.id()).ifPresent(t -> {
        throw new ConflictException(t.describe());
      });
      try {
        tx.devices().insert(device);
      } catch (DuplicateKeyException e) {
        throw new ConflictException("a device with id '" + id + "' exists already in this tenant");
      }
      audit.record(tx, principal, "device.create", "device", id, AuditTrail.ABSENT, EntityJson.device(device));
      return device;
    });
    events.publish(InitialTwins.registered(principal.tenant(), id, f.profile(), principal.actor(), Optional.empty(),
        now));
    return created;
  }

  public Device get(Principal principal, String id) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> find(tx, principal.tenant(), id));
  }

  public Page<Device> list(Principal principal, DeviceListRequest request) {
    principal.require(Permission.REGISTRY_READ);
    DeviceSort sort = request.sort();
    Optional<DeviceCursor> after = request.cursor().map(c -> DeviceCursor.decode(c, sort));
    return store.read(tx -> {
      List<DeviceFilter> filters = new ArrayList<>(List.of(request.filter()));
      request.group().ifPresent(g -> filters.add(groups.filterFor(tx, principal.tenant(), g)));
      List<Device> rows = tx.devices().list(principal.tenant(), filters, sort, after, request.limit() + 1);
      if (rows.size() <= request.limit()) {
        return new Page<>(rows, Optional.empty());
      }
      List<Device> page = rows.subList(0, request.limit());
      Device last = page.get(page.size() - 1);
      return new Page<>(page, Optional.of(new DeviceCursor(sort, sortValue(last, sort), last.id().value()).encode()));
    });
  }

  public long count(Principal principal, DeviceFilter filter, Optional<String> group) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> {
      List<DeviceFilter> filters = new ArrayList<>(List.of(filter));
      group.ifPresent(g -> filters.add(groups.filterFor(tx, principal.tenant(), g)));
      return tx.devices().count(principal.tenant(), filters);
    });
  }

  /** Applies a JSON merge patch to the device's settable fields. */
  public Device patch(Principal principal, String id, ObjectNode patch, Optional<Long> ifMatch) {
    principal.require(Permission.REGISTRY_WRITE);
    FieldReader.of(patch, DeviceFields.PATCH_FIELDS).throwIfErrors();
    Transition change = store.write(tx -> {
      Device current = find(tx, principal.tenant(), id);
      Versions.check("device", id, ifMatch, current.version());
      ObjectNode editable = EntityJson.device(current);
      editable.retain(DeviceFields.PATCH_FIELDS);
      JsonNode merged = Json.mergePatch(editable, patch);
      FieldReader r = FieldReader.of((ObjectNode) merged, DeviceFields.PATCH_FIELDS);
      Optional<DeviceFields> fields = DeviceFields.read(r, id);
      r.throwIfErrors();
      DeviceFields f = fields.orElseThrow();
      if (!current.status().canBecome(f.status())) {
        throw new ConflictException("device '" + id + "' is decommissioned; a decommissioned device cannot change status");
      }
      if (!f.profile().equals(current.profile())) {
        requireProfile(tx, principal.tenant(), f.profile(), "profile");
      }
      Device next = new Device(current.tenant(), current.id(), f.name(), f.profile(), f.status(), f.tags(),
          f.attributes(), current.createdAt(), clock.instant(), current.version() + 1);
      Versions.requireUpdated(tx.devices().update(next, current.version()), "device", id);
      audit.record(tx, principal, "device.update", "device", id, EntityJson.device(current), EntityJson.device(next));
      return new Transition(current, next);
    });
    if (change.before().status() != change.after().status()) {
      events.publish(new DomainEvent(principal.tenant(), "device.status-changed", "device", id,
          change.after().updatedAt(), Json.object().put("from", change.before().status().wireName())
              .put("to", change.after().status().wireName())));
    }
    return change.after();
  }

  /** A device before and after one change. */
  private record Transition(Device before, Device after) {}

  public void delete(Principal principal, String id, Optional<Long> ifMatch) {
    delete(principal, id, ifMatch, false);
  }

  /**
   * Deletes the device. Its id stays tombstoned (the decommissioning's tombstone is kept, a device deleted without
   * one gets one) so that no new device silently takes it, unless {@code forgetId}, which releases the id and needs
   * {@link Permission#IDS_RELEASE}; with {@code forgetId} the tombstone of a device deleted before is released too.
   */
  public void delete(Principal principal, String id, Optional<Long> ifMatch, boolean forgetId) {
    principal.require(Permission.REGISTRY_WRITE);
    if (forgetId) {
      principal.require(Permission.IDS_RELEASE);
    }
    List<String> twins = new ArrayList<>();
    Optional<Instant> deleted = store.write(tx -> {
      twins.clear();
      Instant now = clock.instant();
      Optional<Device> found = Identifiers.isEntityId(id) ? tx.devices().find(principal.tenant(), new DeviceId(id))
          : Optional.empty();
      Optional<Tombstone> tombstone = found.isPresent() || !Identifiers.isEntityId(id) ? Optional.empty()
          : tx.tombstones().find(principal.tenant(), new DeviceId(id));
      if (found.isEmpty()) {
        if (forgetId && tombstone.isPresent()) {
          tx.tombstones().delete(principal.tenant(), tombstone.get().device());
          audit.record(tx, principal, "device.id-released", "device", id, EntityJson.tombstone(tombstone.get()),
              AuditTrail.ABSENT);
          return Optional.<Instant>empty();
        }
        throw new NotFoundException("device", id);
      }
      Device current = found.get();
      Versions.check("device", id, ifMatch, current.version());
      int credentials = (int) tx.credentials().list(principal.tenant(), current.id()).stream()
          .filter(c -> !c.isRevoked()).count();
      int groupsLeft = tx.groups().groupsOf(principal.tenant(), current.id()).size();
      twins.addAll(TwinService.names(tx, principal.tenant(), id)); // deleted with the device, by foreign key
      tx.devices().delete(principal.tenant(), current.id());
      // Its credentials go with it; the certificates its tenant's CA issued stay, revoked, for the CA's CRL.
      int certificates = tx.deviceCertificates().revokeAllOf(principal.tenant(), current.id(), now);
      audit.record(tx, principal, "device.delete", "device", id, EntityJson.device(current), AuditTrail.ABSENT);
      Optional<Tombstone> kept = tx.tombstones().find(principal.tenant(), current.id());
      if (forgetId) {
        kept.ifPresent(t -> tx.tombstones().delete(principal.tenant(), current.id()));
        audit.record(tx, principal, "device.id-released", "device", id,
            kept.<JsonNode>map(EntityJson::tombstone).orElse(AuditTrail.ABSENT), AuditTrail.ABSENT);
      } else if (kept.isPresent()) {
        tx.tombstones().update(kept.get().deleted(now));
      } else {
        tx.tombstones().insert(new Tombstone(principal.tenant(), current.id(), Tombstone.Reason.DELETED, now,
            Optional.of(now), PurgeMode.RETENTION, credentials, certificates, groupsLeft, 0));
      }
      return Optional.of(now);
    });
    deleted.ifPresent(at -> events.publish(new DomainEvent(principal.tenant(), "device.deleted", "device", id, at,
        TwinService.withTwins(Json.object(), twins))));
  }

  static Device find(RegistryTx tx, TenantId tenant, String id) {
    if (!Identifiers.isEntityId(id)) {
      throw new NotFoundException("device", id);
    }
    return tx.devices().find(tenant, new DeviceId(id)).orElseThrow(() -> new NotFoundException("device", id));
  }

  static void requireProfile(RegistryTx tx, TenantId tenant, String profile, String field) {
    if (tx.profiles().find(tenant, profile).isEmpty()) {
      throw new ValidationException(field, "no device profile '" + profile + "' exists in this tenant; create it first");
    }
  }

  private static String sortValue(Device d, DeviceSort sort) {
    return switch (sort.field()) {
      case ID -> d.id().value();
      case CREATED_AT -> Long.toString(d.createdAt().toEpochMilli());
      case UPDATED_AT -> Long.toString(d.updatedAt().toEpochMilli());
      case NAME -> d.name();
      case STATUS -> d.status().wireName();
      case PROFILE -> d.profile();
    };
  }
}
