package io.flotilla.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.Identifiers;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.acl.RuleFilter;
import io.flotilla.core.acl.TopicAction;
import io.flotilla.core.acl.TopicRule;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tenant topic ACL rules: the ordinary topics a tenant's devices may use besides their own namespace.
 * Tenant admins manage them, whoever reads the registry reads them. Every change is audited in its
 * transaction and announced after commit as {@value #RULES_CHANGED}, so device gateways reload the tenant's rules.
 */
public final class TopicRuleService {
  /** The domain event published after every change to a tenant's rules. */
  public static final String RULES_CHANGED = "acl.rules-changed";
  /** Rules per tenant; the gateway checks a device's rules on publishes outside its namespace, so they stay few. */
  public static final int MAX_RULES_PER_TENANT = 1000;
  static final Set<String> CREATE_FIELDS = Set.of("id", "description", "topicFilter", "actions", "profileId");
  static final Set<String> PATCH_FIELDS = Set.of("description", "topicFilter", "actions", "profileId");

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;
  private final DomainEvents events;

  public TopicRuleService(RegistryStore store, Clock clock, DomainEvents events) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
    this.events = events;
  }

  public TopicRule create(Principal principal, ObjectNode body) {
    principal.require(Permission.ACL_MANAGE);
    FieldReader r = FieldReader.of(body, CREATE_FIELDS);
    String id = r.string("id").orElseGet(() -> TokenSecrets.newId("rule"));
    if (!r.hasErrorAt("id") && !Identifiers.isEntityId(id)) {
      r.error("id", Identifiers.describeInvalid(id));
    }
    Instant now = clock.instant();
    TopicRule rule = read(r, principal.tenant(), id, now, now, 1);
    store.write(tx -> {
      requireProfile(tx, rule);
      long count = tx.topicRules().count(principal.tenant());
      if (count >= MAX_RULES_PER_TENANT) {
        throw new ConflictException("this tenant has " + count + " topic rules, the most allowed; widen an "
            + "existing rule's filter or delete rules first");
      }
      try {
        tx.topicRules().insert(rule);
      } catch (DuplicateKeyException e) {
        throw new ConflictException("a topic rule with id '" + id + "' exists already in this tenant");
      }
      audit.record(tx, principal, "topic-rule.create", "topic-rule", id, AuditTrail.ABSENT,
          EntityJson.topicRule(rule));
      return null;
    });
    announce(rule.tenant(), id, "created", now);
    return rule;
  }

  public TopicRule get(Principal principal, String id) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> find(tx, principal.tenant(), id));
  }

  public List<TopicRule> list(Principal principal) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> tx.topicRules().list(principal.tenant()));
  }

  /** Applies a JSON merge patch to the rule's settable fields; {@code "profileId": null} makes it tenant-wide. */
  public TopicRule patch(Principal principal, String id, ObjectNode patch, Optional<Long> ifMatch) {
    principal.require(Permission.ACL_MANAGE);
    FieldReader.of(patch, PATCH_FIELDS).throwIfErrors();
    TopicRule updated = store.write(tx -> {
      TopicRule current = find(tx, principal.tenant(), id);
      Versions.check("topic rule", id, ifMatch, current.version());
      ObjectNode editable = EntityJson.topicRule(current);
      editable.retain(PATCH_FIELDS);
      JsonNode merged = Json.mergePatch(editable, patch);
      TopicRule next = read(FieldReader.of((ObjectNode) merged, PATCH_FIELDS), principal.tenant(), id,
          current.createdAt(), clock.instant(), current.version() + 1);
      requireProfile(tx, next);
      Versions.requireUpdated(tx.topicRules().update(next, current.version()), "topic rule", id);
      audit.record(tx, principal, "topic-rule.update", "topic-rule", id, EntityJson.topicRule(current),
          EntityJson.topicRule(next));
      return next;
    });
    announce(updated.tenant(), id, "updated", updated.updatedAt());
    return updated;
  }

  public void delete(Principal principal, String id, Optional<Long> ifMatch) {
    principal.require(Permission.ACL_MANAGE);
    Instant at = store.write(tx -> {
      TopicRule current = find(tx, principal.tenant(), id);
      Versions.check("topic rule", id, ifMatch, current.version());
      tx.topicRules().delete(principal.tenant(), id);
      audit.record(tx, principal, "topic-rule.delete", "topic-rule", id, EntityJson.topicRule(current),
          AuditTrail.ABSENT);
      return clock.instant();
    });
    announce(principal.tenant(), id, "deleted", at);
  }

  /** One tenant's rules, for the device gateway (which acts for the platform, not for a caller). */
  public List<TopicRule> rulesOf(TenantId tenant) {
    return store.read(tx -> tx.topicRules().list(tenant));
  }

  /** Every tenant's rules ordered by tenant and id, for the device gateway when it starts. */
  public List<TopicRule> allRules() {
    return store.read(tx -> tx.topicRules().listAll());
  }

  private void announce(TenantId tenant, String id, String change, Instant at) {
    events.publish(new DomainEvent(tenant, RULES_CHANGED, "topic-rule", id, at, Json.object().put("change", change)));
  }

  private static TopicRule find(RegistryTx tx, TenantId tenant, String id) {
    return tx.topicRules().find(tenant, id).orElseThrow(() -> new NotFoundException("topic rule", id));
  }

  private static void requireProfile(RegistryTx tx, TopicRule rule) {
    Optional<String> profile = rule.profileId();
    if (profile.isPresent() && tx.profiles().find(rule.tenant(), profile.get()).isEmpty()) {
      throw new ValidationException("profileId", "no device profile '" + profile.get()
          + "' exists in this tenant; create it first, or leave profileId out to apply the rule to every device");
    }
  }

  private static TopicRule read(FieldReader r, TenantId tenant, String id, Instant created, Instant updated,
      long version) {
    String description = Texts.description(r, "description", r.string("description").orElse(""));
    Optional<String> filter = r.string("topicFilter");
    if (filter.isEmpty() && !r.hasErrorAt("topicFilter")) {
      r.error("topicFilter", RuleFilter.problem("").orElseThrow());
    }
    filter.flatMap(RuleFilter::problem).ifPresent(problem -> r.error("topicFilter", problem));
    Set<TopicAction> actions = EnumSet.noneOf(TopicAction.class);
    List<String> wire = r.stringList("actions");
    for (int i = 0; i < wire.size(); i++) {
      try {
        actions.add(TopicAction.fromWire("actions[" + i + "]", wire.get(i)));
      } catch (ValidationException e) {
        r.error("actions[" + i + "]", e.errors().get(0).message());
      }
    }
    if (wire.isEmpty() && !r.hasErrorAt("actions")) {
      r.error("actions", "must list at least one of publish, subscribe, e.g. [\"publish\"]");
    }
    Optional<String> profileId = r.string("profileId");
    if (profileId.isPresent() && !Identifiers.isEntityId(profileId.get())) {
      r.error("profileId", Identifiers.describeInvalid(profileId.get()));
    }
    r.throwIfErrors();
    return new TopicRule(tenant, id, description, filter.orElseThrow(), actions, profileId, created, updated,
        version);
  }
}
