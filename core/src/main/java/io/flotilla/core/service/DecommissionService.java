package io.flotilla.core.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceCredential;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.device.PurgeMode;
import io.flotilla.core.device.Tombstone;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.telemetry.TelemetryStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decommissioning: one operation that retires a device for good. In one registry transaction the device becomes
 * {@code decommissioned}, every credential is revoked (certificates its tenant CA issued go on the CRL), it leaves
 * its static groups, its id gets a {@link Tombstone} and the audit log a {@code device.decommissioned} record;
 * then the events close its live connection on every node that listens, and its telemetry is purged now or left
 * to expire under its profile's retention. The device record stays readable. Calling it again returns the same
 * result and harms nothing; with {@code purge: now} it purges whatever arrived since (or what an earlier
 * {@code retention} call left).
 */
public final class DecommissionService {
  static final Set<String> FIELDS = Set.of("purge");
  private static final Logger LOG = LoggerFactory.getLogger(DecommissionService.class);

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;
  private final DomainEvents events;
  private final TelemetryStore telemetry;

  public DecommissionService(RegistryStore store, Clock clock, DomainEvents events, TelemetryStore telemetry) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
    this.events = events;
    this.telemetry = telemetry;
  }

  /** The device after decommissioning, and its tombstone saying what was done. */
  public record Decommissioned(Device device, Tombstone tombstone) {}

  /** Decommissions the device; {@code body} may name {@code purge}: {@code now} or {@code retention} (default). */
  public Decommissioned decommission(Principal principal, String deviceId, ObjectNode body) {
    principal.require(Permission.REGISTRY_WRITE);
    FieldReader r = FieldReader.of(body, FIELDS);
    PurgeMode purge = PurgeMode.RETENTION;
    try {
      purge = r.string("purge").map(p -> PurgeMode.fromWire("purge", p)).orElse(PurgeMode.RETENTION);
    } catch (io.flotilla.core.error.ValidationException e) {
      r.error("purge", e.errors().get(0).message());
    }
    r.throwIfErrors();
    PurgeMode chosen = purge;
    Outcome outcome = store.write(tx -> retire(tx, principal, deviceId, chosen));
    publish(principal, outcome);
    if (chosen == PurgeMode.NOW) {
      return new Decommissioned(outcome.device(), purge(principal, outcome.tombstone()));
    }
    return new Decommissioned(outcome.device(), outcome.tombstone());
  }

  /** What the transaction did: the device before and after, its tombstone and the credentials it revoked. */
  /** @param twins the names of the twins deleted (their retained deltas go too) */
  private record Outcome(Device before, Device device, Tombstone tombstone, List<DeviceCredential> revoked,
      List<String> twins) {}

  private Outcome retire(RegistryTx tx, Principal principal, String deviceId, PurgeMode purge) {
    Device current = DeviceService.find(tx, principal.tenant(), deviceId);
    Optional<Tombstone> existing = tx.tombstones().find(principal.tenant(), current.id());
    if (current.status() == DeviceStatus.DECOMMISSIONED && existing.isPresent()) {
      return new Outcome(current, current, existing.get(), List.of(), List.of());
    }
    Instant now = clock.instant();
    List<DeviceCredential> revoked = new ArrayList<>();
    int certificates = 0;
    for (DeviceCredential c : tx.credentials().list(principal.tenant(), current.id())) {
      if (c.isRevoked() || !tx.credentials().revoke(principal.tenant(), c.id(), now)) {
        continue;
      }
      revoked.add(new DeviceCredential(c.tenant(), c.device(), c.id(), c.type(), c.secretHash(), c.fingerprint(),
          c.certificatePem(), c.notAfter(), c.createdAt(), Optional.of(now)));
      if (tx.deviceCertificates().revoke(principal.tenant(), c.id(), now)) {
        certificates++;
      }
    }
    // Certificates whose credential went some other way still belong on the CRL.
    certificates += tx.deviceCertificates().revokeAllOf(principal.tenant(), current.id(), now);
    List<String> groups = tx.groups().groupsOf(principal.tenant(), current.id());
    groups.forEach(g -> tx.groups().removeMember(principal.tenant(), g, current.id()));
    List<String> twins = TwinService.names(tx, principal.tenant(), current.id().value());
    tx.twins().deleteAll(principal.tenant(), current.id().value()); // its twins go with it (issue 6)
    Device next = current;
    if (current.status() != DeviceStatus.DECOMMISSIONED) {
      next = new Device(current.tenant(), current.id(), current.name(), current.profile(), DeviceStatus.DECOMMISSIONED,
          current.tags(), current.attributes(), current.createdAt(), now, current.version() + 1);
      Versions.requireUpdated(tx.devices().update(next, current.version()), "device", deviceId);
    }
    Tombstone tombstone = new Tombstone(principal.tenant(), current.id(), Tombstone.Reason.DECOMMISSIONED, now,
        Optional.empty(), purge, revoked.size(), certificates, groups.size(), 0);
    if (!tx.tombstones().insert(tombstone)) {
      tx.tombstones().update(tombstone);
    }
    ObjectNode after = EntityJson.device(next);
    after.set("decommissioning", EntityJson.tombstone(tombstone).put("tokensRevoked",
        revoked.stream().filter(c -> c.secretHash().isPresent()).count()));
    after.withArray("groupsLeft").addAll(groups.stream().map(Json.MAPPER.getNodeFactory()::textNode).toList());
    audit.record(tx, principal, "device.decommissioned", "device", deviceId, EntityJson.device(current), after);
    return new Outcome(current, next, tombstone, revoked, twins);
  }

  private void publish(Principal principal, Outcome outcome) {
    String id = outcome.device().id().value();
    Instant at = outcome.tombstone().at();
    if (outcome.before().status() != outcome.device().status()) {
      events.publish(new DomainEvent(principal.tenant(), "device.status-changed", "device", id, at,
          Json.object().put("from", outcome.before().status().wireName()).put("to", outcome.device().status().wireName())));
    }
    for (DeviceCredential c : outcome.revoked()) {
      events.publish(new DomainEvent(principal.tenant(), "credential.revoked", "device", id, at,
          EntityJson.credential(c)));
    }
    if (outcome.before() != outcome.device() || !outcome.revoked().isEmpty()) {
      events.publish(new DomainEvent(principal.tenant(), "device.decommissioned", "device", id, at,
          TwinService.withTwins(EntityJson.tombstone(outcome.tombstone()), outcome.twins())));
    }
  }

  /** Deletes the device's stored telemetry and records it on the tombstone and in the audit log. */
  private Tombstone purge(Principal principal, Tombstone tombstone) {
    long deleted = telemetry.deleteDevice(principal.tenant(), tombstone.device().value());
    LOG.info("Purged {} telemetry points of decommissioned device {}/{}", deleted, principal.tenant(),
        tombstone.device());
    return store.write(tx -> {
      Tombstone current = tx.tombstones().find(principal.tenant(), tombstone.device()).orElse(tombstone);
      if (deleted == 0 && current.purge() == PurgeMode.NOW) {
        return current;
      }
      Tombstone next = current.purged(deleted);
      tx.tombstones().update(next);
      audit.record(tx, principal, "telemetry.delete", "device", tombstone.device().value(), AuditTrail.ABSENT,
          Json.object().put("pointsDeleted", deleted).put("reason", "decommissioned"));
      return next;
    });
  }
}
