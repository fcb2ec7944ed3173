package io.flotilla.core.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.acl.TopicAction;
import io.flotilla.core.acl.TopicRule;
import io.flotilla.core.access.ApiToken;
import io.flotilla.core.access.User;
import io.flotilla.core.audit.AuditRecord;
import io.flotilla.core.ca.DeviceCertificate;
import io.flotilla.core.ca.ProvisioningTemplate;
import io.flotilla.core.ca.RegisteredCa;
import io.flotilla.core.ca.TenantCa;
import io.flotilla.core.command.Command;
import io.flotilla.core.command.CommandMode;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceConnection;
import io.flotilla.core.device.DeviceCredential;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.device.RetentionPolicy;
import io.flotilla.core.device.Tombstone;
import io.flotilla.core.group.DeviceGroup;
import io.flotilla.core.provisioning.ClaimCertificate;
import io.flotilla.core.provisioning.EnrollmentGroup;
import io.flotilla.core.tenant.Tenant;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON form of each entity: what the API returns and what the audit log records as
 * before/after, so that an auditor sees exactly what a caller saw. Secrets never appear here.
 */
public final class EntityJson {
  private EntityJson() {}

  public static ObjectNode tenant(Tenant t) {
    ObjectNode n = Json.object().put("id", t.id().value()).put("name", t.name());
    return stamps(n, t.createdAt(), t.updatedAt(), t.version());
  }

  public static ObjectNode user(User u) {
    ObjectNode n = Json.object().put("id", u.id()).put("displayName", u.displayName())
        .put("role", u.role().wireName()).put("disabled", u.disabled());
    return stamps(n, u.createdAt(), u.updatedAt(), u.version());
  }

  /** A token's public face; {@code now} decides whether it reads as active or expired. */
  public static ObjectNode token(ApiToken t, Instant now) {
    ObjectNode n = Json.object().put("id", t.id()).put("userId", t.userId()).put("name", t.name())
        .put("role", t.role().wireName()).put("createdAt", t.createdAt().toString());
    t.expiresAt().ifPresent(e -> n.put("expiresAt", e.toString()));
    t.revokedAt().ifPresent(r -> n.put("revokedAt", r.toString()));
    n.put("status", t.isRevoked() ? "revoked" : t.isExpiredAt(now) ? "expired" : "active");
    return n;
  }

  /** A profile, showing the retention that applies to it: its own or the default. */
  public static ObjectNode profile(DeviceProfile p) {
    ObjectNode n = Json.object().put("id", p.id()).put("name", p.name()).put("description", p.description());
    p.telemetrySchema().ifPresent(s -> n.set("telemetrySchema", s.deepCopy()));
    n.set("defaultTwin", p.defaultTwin().deepCopy());
    ObjectNode classes = n.putObject("classification");
    new TreeMap<>(p.classification()).forEach((field, c) -> classes.put(field, c.wireName()));
    n.set("retention", retention(p.effectiveRetention()));
    return stamps(n, p.createdAt(), p.updatedAt(), p.version());
  }

  /** A retention as profiles show and accept it: whole days per tier. */
  public static ObjectNode retention(RetentionPolicy r) {
    return Json.object().put("rawDays", r.rawDays()).put("minuteDays", r.minuteDays()).put("hourDays", r.hourDays());
  }

  public static ObjectNode device(Device d) {
    ObjectNode n = Json.object().put("id", d.id().value()).put("name", d.name()).put("profile", d.profile())
        .put("status", d.status().wireName());
    n.set("tags", stringMap(d.tags()));
    n.set("attributes", d.attributes().deepCopy());
    return stamps(n, d.createdAt(), d.updatedAt(), d.version());
  }

  /** A credential's public face: never the secret hash, never the certificate body. */
  public static ObjectNode credential(DeviceCredential c) {
    ObjectNode n = Json.object().put("id", c.id()).put("deviceId", c.device().value()).put("type", c.type().wireName());
    c.fingerprint().ifPresent(f -> n.put("fingerprint", f));
    c.notAfter().ifPresent(t -> n.put("notAfter", t.toString()));
    n.put("createdAt", c.createdAt().toString());
    c.revokedAt().ifPresent(t -> n.put("revokedAt", t.toString()));
    return n.put("status", c.isRevoked() ? "revoked" : "active");
  }

  /** What remains of a retired device id, and what its decommissioning did. */
  public static ObjectNode tombstone(Tombstone t) {
    ObjectNode n = Json.object().put("deviceId", t.device().value()).put("reason", t.reason().wireName())
        .put("decommissionedAt", t.at().toString());
    t.deletedAt().ifPresent(d -> n.put("deletedAt", d.toString()));
    return n.put("purge", t.purge().wireName()).put("credentialsRevoked", t.credentialsRevoked())
        .put("certificatesRevoked", t.certificatesRevoked()).put("groupsLeft", t.groupsLeft())
        .put("pointsPurged", t.pointsPurged());
  }

  /** A certificate issued by a tenant CA, without its body (the issuing response adds that). */
  public static ObjectNode deviceCertificate(DeviceCertificate c) {
    ObjectNode n = Json.object().put("id", c.id()).put("deviceId", c.device().value()).put("caId", c.caId())
        .put("serial", c.serial()).put("fingerprint", c.fingerprint()).put("notBefore", c.notBefore().toString())
        .put("notAfter", c.notAfter().toString()).put("createdAt", c.createdAt().toString());
    c.revokedAt().ifPresent(t -> n.put("revokedAt", t.toString()));
    c.replaces().ifPresent(r -> n.put("replaces", r));
    c.firstUsedAt().ifPresent(t -> n.put("firstUsedAt", t.toString()));
    return n.put("status", c.isRevoked() ? "revoked" : c.isPendingRotation() ? "pending" : "active");
  }

  /** A tenant CA as the audit log records it: never its key, sealed or not; only the id of the master key. */
  public static ObjectNode tenantCa(TenantCa ca) {
    return Json.object().put("id", ca.id()).put("notBefore", ca.notBefore().toString())
        .put("notAfter", ca.notAfter().toString()).put("masterKeyId", ca.key().masterKeyId())
        .put("createdAt", ca.createdAt().toString());
  }

  /** A registered CA (bring your own CA) without its certificate body, which callers ask for by id. */
  public static ObjectNode registeredCa(RegisteredCa ca) {
    ObjectNode n = Json.object().put("id", ca.id()).put("subject", ca.subject()).put("fingerprint", ca.fingerprint())
        .put("keyFingerprint", ca.keyFingerprint()).put("notBefore", ca.notBefore().toString())
        .put("notAfter", ca.notAfter().toString()).put("status", ca.active() ? "active" : "inactive");
    n.set("template", provisioningTemplate(ca.template()));
    return stamps(n, ca.createdAt(), ca.updatedAt(), ca.version());
  }

  /** An enrollment group: never its symmetric key, sealed or not. */
  public static ObjectNode enrollmentGroup(EnrollmentGroup g) {
    ObjectNode n = Json.object().put("id", g.id()).put("name", g.name())
        .put("attestation", g.attestation().wireName()).put("credential", g.credential().wireName())
        .put("deviceIdPrefix", g.deviceIdPrefix()).put("requestsPerMinute", g.requestsPerMinute())
        .put("kind", g.deviceId().isPresent() ? "individual" : "group")
        .put("status", g.active() ? "active" : "inactive");
    ObjectNode template = provisioningTemplate(g.template());
    template.remove("idFrom");
    n.set("template", template);
    g.webhook().ifPresent(w -> n.putObject("webhook").put("url", w.url()));
    g.deviceId().ifPresent(d -> n.put("deviceId", d));
    return stamps(n, g.createdAt(), g.updatedAt(), g.version());
  }

  /** A claim certificate without its PEM body. */
  public static ObjectNode claimCertificate(ClaimCertificate c) {
    return Json.object().put("id", c.id()).put("enrollmentGroupId", c.groupId()).put("fingerprint", c.fingerprint())
        .put("notAfter", c.notAfter().toString()).put("source", c.issued() ? "issued" : "registered")
        .put("createdAt", c.createdAt().toString());
  }

  public static ObjectNode provisioningTemplate(ProvisioningTemplate t) {
    ObjectNode n = Json.object().put("profile", t.profile());
    ArrayNode groups = n.putArray("groups");
    t.groups().forEach(groups::add);
    n.set("tags", stringMap(t.tags()));
    n.put("idFrom", t.idFrom().wireName()).put("approval", t.approval().wireName());
    t.initialTwin().ifPresent(twin -> n.set("initialTwin", twin.deepCopy()));
    return n;
  }

  /** Connectivity; what is not known (times of a device that never connected) is left out. */
  public static ObjectNode connection(DeviceConnection c) {
    ObjectNode n = Json.object().put("deviceId", c.device().value()).put("online", c.online());
    c.connectedSince().ifPresent(t -> n.put("connectedSince", t.toString()));
    c.lastSeen().ifPresent(t -> n.put("lastSeen", t.toString()));
    c.disconnectedAt().ifPresent(t -> n.put("disconnectedAt", t.toString()));
    c.clientAddress().ifPresent(a -> n.put("clientAddress", a));
    c.protocol().ifPresent(p -> n.put("protocol", p));
    c.lastDisconnectReason().ifPresent(r -> n.put("lastDisconnectReason", r));
    return n;
  }

  /** A topic rule; actions in a fixed order (publish, subscribe), profileId only when the rule names one. */
  public static ObjectNode topicRule(TopicRule r) {
    ObjectNode n = Json.object().put("id", r.id()).put("description", r.description())
        .put("topicFilter", r.topicFilter());
    ArrayNode actions = n.putArray("actions");
    for (TopicAction action : TopicAction.values()) {
      if (r.allows(action)) {
        actions.add(action.wireName());
      }
    }
    r.profileId().ifPresent(p -> n.put("profileId", p));
    return stamps(n, r.createdAt(), r.updatedAt(), r.version());
  }

  /** A command: what was asked, its status with the time of each step, and the device's answer once there is one. */
  /** A command as its device receives it, over MQTT or HTTP: {@code id, name, payload, expiresAt}. */
  public static ObjectNode commandForDevice(Command c) {
    ObjectNode n = Json.object().put("id", c.id()).put("name", c.name());
    n.set("payload", c.payload());
    return n.put("expiresAt", c.expiresAt().toString());
  }

  public static ObjectNode command(Command c) {
    ObjectNode n = Json.object().put("id", c.id()).put("deviceId", c.deviceId()).put("name", c.name());
    n.set("payload", c.payload());
    n.put("mode", c.mode().wireName()).put("status", c.status().wireName());
    if (c.mode() == CommandMode.DIRECT) {
      n.put("timeoutSeconds", c.timeoutSeconds());
      if (c.connectTimeoutSeconds() > 0) {
        n.put("connectTimeoutSeconds", c.connectTimeoutSeconds());
      }
    }
    n.put("expiresAt", c.expiresAt().toString()).put("attempts", c.attempts());
    c.sentAt().ifPresent(t -> n.put("sentAt", t.toString()));
    c.deliveredAt().ifPresent(t -> n.put("deliveredAt", t.toString()));
    c.completedAt().ifPresent(t -> n.put("completedAt", t.toString()));
    c.result().ifPresent(r -> n.set("result", r));
    c.message().ifPresent(m -> n.put("message", m));
    c.groupId().ifPresent(g -> n.put("groupId", g));
    n.put("createdBy", c.createdBy());
    return stamps(n, c.createdAt(), c.updatedAt(), c.version());
  }

  public static ObjectNode group(DeviceGroup g) {
    ObjectNode n = Json.object().put("id", g.id()).put("name", g.name()).put("description", g.description())
        .put("type", g.type().wireName());
    g.filter().ifPresent(f -> n.set("filter", filter(f)));
    return stamps(n, g.createdAt(), g.updatedAt(), g.version());
  }

  public static ObjectNode filter(DeviceFilter f) {
    ObjectNode n = Json.object();
    f.profile().ifPresent(p -> n.put("profile", p));
    f.status().ifPresent(s -> n.put("status", s.wireName()));
    if (!f.tags().isEmpty()) {
      n.set("tags", stringMap(f.tags()));
    }
    f.memberOf().ifPresent(g -> n.put("memberOf", g));
    f.idPrefix().ifPresent(p -> n.put("idPrefix", p));
    f.online().ifPresent(o -> n.put("online", o));
    return n;
  }

  public static ObjectNode audit(AuditRecord r) {
    ObjectNode n = Json.object().put("seq", r.seq()).put("at", r.at().toString()).put("actor", r.actor())
        .put("action", r.action()).put("entityType", r.entityType()).put("entityId", r.entityId());
    n.set("before", Json.readTrusted(r.before()));
    n.set("after", Json.readTrusted(r.after()));
    return n.put("prevHash", r.prevHash()).put("hash", r.hash());
  }

  private static ObjectNode stringMap(Map<String, String> map) {
    ObjectNode n = Json.object();
    new TreeMap<>(map).forEach(n::put);
    return n;
  }

  private static ObjectNode stamps(ObjectNode n, Instant created, Instant updated, long version) {
    return n.put("createdAt", created.toString()).put("updatedAt", updated.toString()).put("version", version);
  }
}
