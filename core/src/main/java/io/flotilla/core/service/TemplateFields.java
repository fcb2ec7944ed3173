package io.flotilla.core.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.Identifiers;
import io.flotilla.core.ca.ProvisioningTemplate;
import io.flotilla.core.ca.ProvisioningTemplate.Approval;
import io.flotilla.core.ca.ProvisioningTemplate.IdSource;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.group.GroupType;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a provisioning template from caller JSON, with every problem at its field path. */
final class TemplateFields {
  static final Set<String> FIELDS = Set.of("profile", "groups", "tags", "idFrom", "approval", "initialTwin");
  static final int MAX_GROUPS = 32;
  static final int MAX_TWIN_BYTES = 16 * 1024;

  private TemplateFields() {}

  /** The template at {@code name} of {@code r}; required. Empty when it has errors, which {@code r} holds. */
  static Optional<ProvisioningTemplate> read(FieldReader r, String name) {
    int before = r.errors().size();
    Optional<FieldReader> nested = r.nested(name, FIELDS);
    if (nested.isEmpty()) {
      if (r.errors().size() == before) {
        r.error(name, "is required: an object with at least the profile devices registered from this CA get");
      }
      return Optional.empty();
    }
    FieldReader t = nested.get();
    Optional<String> profile = t.string("profile");
    if (profile.isEmpty() && !t.hasErrorAt("profile")) {
      t.error("profile", "is required: the device profile devices registered from this CA get");
    }
    List<String> groups = t.stringList("groups");
    if (groups.size() > MAX_GROUPS) {
      t.error("groups", "has " + groups.size() + " groups; at most " + MAX_GROUPS + " are allowed");
    }
    for (int i = 0; i < groups.size(); i++) {
      if (!Identifiers.isEntityId(groups.get(i))) {
        t.error("groups[" + i + "]", Identifiers.describeInvalid(groups.get(i)));
      }
    }
    Map<String, String> tags = t.stringMap("tags");
    Texts.tags(t, "tags", tags);
    IdSource idFrom = t.string("idFrom").map(v -> IdSource.fromWire(v).orElseGet(() -> {
      t.error("idFrom", "'" + v + "' is not an id source; use cn, san-dns or san-uri");
      return IdSource.CN;
    })).orElse(IdSource.CN);
    Approval approval = t.string("approval").map(v -> Approval.fromWire(v).orElseGet(() -> {
      t.error("approval", "'" + v + "' is not an approval mode; use auto or pending");
      return Approval.AUTO;
    })).orElse(Approval.AUTO);
    Optional<ObjectNode> twin = t.object("initialTwin");
    if (twin.isPresent() && Json.canonical(twin.get()).getBytes(StandardCharsets.UTF_8).length > MAX_TWIN_BYTES) {
      t.error("initialTwin", "is larger than " + MAX_TWIN_BYTES + " bytes");
    }
    if (r.errors().size() > before || profile.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ProvisioningTemplate(profile.get(), List.copyOf(new java.util.LinkedHashSet<>(groups)),
        tags, idFrom, approval, twin.map(ObjectNode::deepCopy)));
  }

  /** Checks what the template names exists in the tenant: the profile, and each group as a static group. */
  static void requireReferences(RegistryTx tx, TenantId tenant, ProvisioningTemplate template, String name) {
    DeviceService.requireProfile(tx, tenant, template.profile(), name + ".profile");
    for (int i = 0; i < template.groups().size(); i++) {
      String group = template.groups().get(i);
      boolean isStatic = tx.groups().find(tenant, group).map(g -> g.type() == GroupType.STATIC).orElse(false);
      if (!isStatic) {
        throw new ValidationException(name + ".groups[" + i + "]", "no static group '" + group
            + "' exists in this tenant; devices join static groups only (dynamic groups match by filter)");
      }
    }
  }
}
