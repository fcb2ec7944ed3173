package io.flotilla.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.error.FieldError;
import io.flotilla.core.error.LimitExceededException;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.error.StaleVersionException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import io.flotilla.core.paging.Page;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.core.twin.Twin;
import io.flotilla.core.twin.TwinChange;
import io.flotilla.core.twin.TwinCondition;
import io.flotilla.core.twin.TwinDocuments;
import io.flotilla.core.twin.TwinLimits;
import io.flotilla.core.twin.TwinMatch;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Device twins. Operators (registry write) patch {@code desired}, whoever reads the registry reads twins and their
 * history and queries the fleet by twin values; a device reports {@code reported} for itself only (the door that
 * authenticated it passes its own id). Each change is one transaction: the twin, its leaf index, its history and,
 * for desired, the audit record; then {@value #TWIN_CHANGED} is published with the new delta.
 */
public final class TwinService {
  /** The domain event published after every change of a twin; data: name, version, section, delta. */
  public static final String TWIN_CHANGED = "twin.changed";
  /** Conditions one query may combine. */
  public static final int MAX_CONDITIONS = 8;
  static final Set<String> PATCH_FIELDS = Set.of("desired");
  static final Set<String> REPORT_FIELDS = Set.of("reported", "version", "clientToken");
  private static final int REPORT_ATTEMPTS = 5;

  private final RegistryStore store;
  private final Clock clock;
  private final DomainEvents events;
  private final TwinLimits limits;
  private final AuditTrail audit;

  public TwinService(RegistryStore store, Clock clock, DomainEvents events, TwinLimits limits) {
    this.store = store;
    this.clock = clock;
    this.events = events;
    this.limits = limits;
    this.audit = new AuditTrail(clock);
  }

  /** The twin; the default twin of a device exists always (version 0 until written), a named one once written. */
  public Twin get(Principal principal, String deviceId, String name) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> read(tx, principal.tenant(), deviceId, name));
  }

  /** The device's twins ordered by name, the default one always among them. */
  public List<Twin> list(Principal principal, String deviceId) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> {
      DeviceService.find(tx, principal.tenant(), deviceId);
      List<Twin> twins = new ArrayList<>(tx.twins().list(principal.tenant(), deviceId));
      if (twins.stream().noneMatch(t -> t.name().equals(Twin.DEFAULT))) {
        twins.add(Twin.empty(principal.tenant(), deviceId, Twin.DEFAULT, clock.instant()));
        twins.sort(Comparator.comparing(Twin::name));
      }
      return twins;
    });
  }

  /**
   * Applies {@code {"desired":{…}}} as a JSON merge patch to the desired section (creating a named twin on its
   * first patch); {@code ifMatch} must be the current version when given.
   */
  public Twin patchDesired(Principal principal, String deviceId, String name, ObjectNode body,
      Optional<Long> ifMatch) {
    principal.require(Permission.REGISTRY_WRITE);
    FieldReader r = FieldReader.of(body, PATCH_FIELDS);
    Optional<ObjectNode> patch = r.object("desired");
    if (patch.isEmpty() && !r.hasErrorAt("desired")) {
      r.error("desired", "is required: a JSON merge patch of the desired section, e.g. {\"desired\":{\"mode\":\"eco\"}}");
    }
    r.throwIfErrors();
    requireName(name);
    Applied applied = store.write(tx -> {
      Applied done = apply(tx, principal.tenant(), deviceId, name, Twin.Section.DESIRED, patch.get(),
          principal.actor(), ifMatch);
      audit.record(tx, principal, "twin.desired-update", "twin", deviceId + "/" + name, state(done.before()),
          state(done.after()));
      return done;
    });
    announce(applied);
    return applied.after();
  }

  /**
   * A device's report: {@code {"reported":{…merge patch…},"version":N}} (version optional: when given and not the
   * current one the report is refused as stale). {@code deviceId} is the authenticated device itself.
   */
  public Twin report(TenantId tenant, String deviceId, String name, ObjectNode body) {
    FieldReader r = FieldReader.of(body, REPORT_FIELDS);
    Optional<ObjectNode> patch = r.object("reported");
    if (patch.isEmpty() && !r.hasErrorAt("reported")) {
      r.error("reported", "is required: a JSON merge patch of the reported section, e.g. {\"reported\":{\"mode\":\"eco\"}}");
    }
    Optional<Long> version = r.integer("version");
    r.string("clientToken");
    r.throwIfErrors();
    requireName(name);
    for (int attempt = 1; ; attempt++) {
      try {
        Applied applied = store.write(tx -> apply(tx, tenant, deviceId, name, Twin.Section.REPORTED, patch.get(),
            "device:" + deviceId, version));
        announce(applied);
        return applied.after();
      } catch (StaleVersionException e) {
        if (version.isPresent() || attempt == REPORT_ATTEMPTS) {
          throw e;
        }
        // Another report of the same twin committed between our read and write: apply on top of it.
      }
    }
  }

  /**
   * Gives a newly registered device's default twin its first desired state (its profile's default twin and its
   * registration template's initial twin), as {@code actor}; nothing when the twin has changed already or
   * {@code desired} is empty. Announced like every change, so the device finds the delta when it subscribes.
   */
  public Optional<Twin> seed(TenantId tenant, String deviceId, ObjectNode desired, String actor) {
    if (desired.isEmpty()) {
      return Optional.empty();
    }
    Applied applied;
    try {
      applied = store.write(tx -> {
        Applied done = apply(tx, tenant, deviceId, Twin.DEFAULT, Twin.Section.DESIRED, desired, actor,
            Optional.of(0L));
        audit.record(tx, tenant, actor, "twin.desired-seed", "twin", deviceId + "/" + Twin.DEFAULT,
            state(done.before()), state(done.after()));
        return done;
      });
    } catch (StaleVersionException e) {
      return Optional.empty(); // the twin changed already: its owner's values win
    }
    announce(applied);
    return Optional.of(applied.after());
  }

  /** The names of a device's stored twins, read before they are deleted with it. */
  static List<String> names(RegistryTx tx, TenantId tenant, String deviceId) {
    return tx.twins().list(tenant, deviceId).stream().map(Twin::name).toList();
  }

  /** {@code data} of a device's deletion event with the names of its deleted twins, whose deltas go too. */
  static ObjectNode withTwins(ObjectNode data, List<String> twins) {
    twins.forEach(data.withArray("twins")::add);
    return data;
  }

  /** The twin as its device reads it (over MQTT on connect, say). */
  public Twin deviceRead(TenantId tenant, String deviceId, String name) {
    requireName(name);
    return store.read(tx -> read(tx, tenant, deviceId, name));
  }

  /** The twin's changes, newest first; {@code cursor} is the previous page's {@code nextCursor}. */
  public Page<TwinChange> history(Principal principal, String deviceId, String name, Optional<String> cursor,
      int limit) {
    principal.require(Permission.REGISTRY_READ);
    Optional<Long> before;
    try {
      before = cursor.map(Long::parseLong);
    } catch (NumberFormatException e) {
      throw new ValidationException("cursor", "is not a cursor this endpoint returned; start again without it");
    }
    List<TwinChange> rows = store.read(tx -> {
      read(tx, principal.tenant(), deviceId, name);
      return tx.twins().history(principal.tenant(), deviceId, name, before, limit + 1);
    });
    return Page.ofOneMore(rows, limit, c -> Long.toString(c.version()));
  }

  /**
   * Devices of the caller's tenant whose twin {@code name} matches every condition ({@code where}, see
   * {@link TwinCondition}), by device id; {@code cursor} is the previous page's {@code nextCursor}.
   */
  public Page<TwinMatch> query(Principal principal, String name, List<String> where, Optional<String> cursor,
      int limit) {
    principal.require(Permission.REGISTRY_READ);
    requireName(name);
    if (where.isEmpty()) {
      throw new ValidationException("where", "give at least one condition, e.g. where=reported.firmware.version<\"2.0\"");
    }
    if (where.size() > MAX_CONDITIONS) {
      throw new ValidationException("where", "at most " + MAX_CONDITIONS + " conditions, not " + where.size());
    }
    List<TwinCondition> conditions = new ArrayList<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < where.size(); i++) {
      try {
        conditions.add(TwinCondition.parse("where[" + i + "]", where.get(i)));
      } catch (ValidationException e) {
        errors.addAll(e.errors());
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    List<TwinMatch> rows = store.read(tx -> tx.twins().query(principal.tenant(), name, conditions, cursor,
        limit + 1));
    return Page.ofOneMore(rows, limit, TwinMatch::device);
  }

  /** What one change did: the twin before (version 0 when it was new) and after, and the patch. */
  private record Applied(Twin before, Twin after, Twin.Section section) {}

  private Applied apply(RegistryTx tx, TenantId tenant, String deviceId, String name, Twin.Section section,
      ObjectNode patch, String actor, Optional<Long> expected) {
    Device device = DeviceService.find(tx, tenant, deviceId);
    if (device.status() == DeviceStatus.DECOMMISSIONED) {
      throw new ConflictException("device '" + deviceId + "' is decommissioned; its twins are gone for good");
    }
    int patchDepth = Json.depth(patch);
    if (patchDepth > limits.maxDepth()) {
      throw new LimitExceededException("too-deep", section.wireName() + " patch is nested " + patchDepth
          + " levels deep, deeper than the limit of " + limits.maxDepth() + "; flatten the document");
    }
    Instant now = clock.instant();
    Optional<Twin> stored = tx.twins().lock(tenant, deviceId, name);
    Twin current = stored.orElseGet(() -> Twin.empty(tenant, deviceId, name, now));
    Versions.check("twin", deviceId + "/" + name, expected, current.version());
    ObjectNode merged = (ObjectNode) Json.mergePatch(current.section(section), patch);
    TwinDocuments.requireWithinLimits(section.wireName(), merged, limits);
    ObjectNode metadata = current.metadata();
    metadata.set(section.wireName(), TwinDocuments.metadata(merged, patch, metadata.path(section.wireName()), now));
    boolean desired = section == Twin.Section.DESIRED;
    Twin next = new Twin(tenant, deviceId, name, current.version() + 1, desired ? merged : current.desired(),
        desired ? current.reported() : merged, metadata, current.createdAt(), now);
    if (stored.isEmpty()) {
      try {
        tx.twins().insert(next);
      } catch (DuplicateKeyException e) {
        throw new StaleVersionException("twin", deviceId + "/" + name);
      }
    } else {
      Versions.requireUpdated(tx.twins().update(next, current.version()), "twin", deviceId + "/" + name);
    }
    tx.twins().replaceLeaves(tenant, deviceId, name, TwinDocuments.leaves(next.desired(), next.reported()));
    tx.twins().appendHistory(new TwinChange(tenant, deviceId, name, next.version(), section, patch, actor, now),
        limits.historyKept());
    return new Applied(current, next, section);
  }

  private void announce(Applied applied) {
    Twin twin = applied.after();
    ObjectNode data = Json.object().put("name", twin.name()).put("version", twin.version())
        .put("section", applied.section().wireName());
    data.set("delta", twin.delta());
    events.publish(new DomainEvent(twin.tenant(), TWIN_CHANGED, "device", twin.device(), twin.updatedAt(), data));
  }

  private Twin read(RegistryTx tx, TenantId tenant, String deviceId, String name) {
    requireName(name);
    DeviceService.find(tx, tenant, deviceId);
    Optional<Twin> twin = tx.twins().find(tenant, deviceId, name);
    if (twin.isPresent() || name.equals(Twin.DEFAULT)) {
      return twin.orElseGet(() -> Twin.empty(tenant, deviceId, name, clock.instant()));
    }
    throw new NotFoundException("twin", deviceId + "/" + name);
  }

  private static void requireName(String name) {
    if (!Twin.NAME.matcher(name).matches()) {
      throw new ValidationException("name", "twin names are 1 to 64 letters, digits, _ or -, not '" + name + "'");
    }
  }

  private static ObjectNode state(Twin twin) {
    ObjectNode out = Json.object().put("version", twin.version());
    out.set("desired", twin.desired());
    return out;
  }
}
