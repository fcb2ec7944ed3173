package io.flotilla.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.ApiToken;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.Role;
import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.access.User;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.event.InProcessDomainEvents;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.Tenant;
import io.flotilla.core.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tenants, managed by system administrators. Creating one also creates its first tenant admin
 * and returns that admin's token once. Tenant changes are recorded in the actor's own chain.
 */
public final class TenantService {
  static final Set<String> CREATE_FIELDS = Set.of("id", "name", "adminUserId");
  static final Set<String> PATCH_FIELDS = Set.of("name");

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;
  private final DomainEvents events;

  /** A service that announces to nobody; for the first-start bootstrap, which never deletes tenants. */
  public TenantService(RegistryStore store, Clock clock) {
    this(store, clock, new InProcessDomainEvents());
  }

  public TenantService(RegistryStore store, Clock clock, DomainEvents events) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
    this.events = events;
  }

  public TenantCreated create(Principal principal, ObjectNode body) {
    principal.require(Permission.TENANTS_MANAGE);
    FieldReader r = FieldReader.of(body, CREATE_FIELDS);
    TenantId id = null;
    try {
      id = new TenantId(r.string("id").orElse(""));
    } catch (ValidationException e) {
      r.error("id", e.errors().get(0).message());
    }
    String name = Texts.name(r, "name", r.string("name").orElse(id == null ? "" : id.value()));
    String adminId = r.string("adminUserId").orElse("admin");
    r.throwIfErrors();
    TenantId tenantId = id;
    return store.write(tx -> createIn(tx, principal.tenant(), principal.actor(), tenantId, name, adminId,
        Role.TENANT_ADMIN, TokenSecrets.newSecret()));
  }

  /** Creates a tenant with its admin inside an open transaction; the bootstrap uses this too. */
  TenantCreated createIn(RegistryTx tx, TenantId auditChain, String actor, TenantId id, String name, String adminId,
      Role adminRole, String secret) {
    Instant now = clock.instant();
    Tenant tenant = new Tenant(id, name, now, now, 1);
    try {
      tx.tenants().insert(tenant);
    } catch (DuplicateKeyException e) {
      throw new ConflictException("a tenant with id '" + id + "' exists already");
    }
    User admin = new User(id, adminId, "Administrator", adminRole, false, now, now, 1);
    tx.users().insert(admin);
    ApiToken token = new ApiToken(id, TokenSecrets.newId("tok"), adminId, "initial admin token", adminRole,
        TokenSecrets.hash(secret), now, Optional.empty(), Optional.empty());
    tx.tokens().insert(token);
    audit.record(tx, auditChain, actor, "tenant.create", "tenant", id.value(), AuditTrail.ABSENT,
        EntityJson.tenant(tenant));
    if (!auditChain.equals(id)) {
      audit.record(tx, id, actor, "tenant.create", "tenant", id.value(), AuditTrail.ABSENT, EntityJson.tenant(tenant));
    }
    audit.record(tx, id, actor, "user.create", "user", adminId, AuditTrail.ABSENT, EntityJson.user(admin));
    audit.record(tx, id, actor, "token.create", "token", token.id(), AuditTrail.ABSENT, EntityJson.token(token, now));
    return new TenantCreated(tenant, admin, new IssuedToken(token, secret));
  }

  public List<Tenant> list(Principal principal) {
    principal.require(Permission.TENANTS_MANAGE);
    return store.read(tx -> tx.tenants().list());
  }

  public Tenant get(Principal principal, String id) {
    principal.require(Permission.TENANTS_MANAGE);
    return store.read(tx -> find(tx, id));
  }

  public Tenant patch(Principal principal, String id, ObjectNode patch, Optional<Long> ifMatch) {
    principal.require(Permission.TENANTS_MANAGE);
    FieldReader.of(patch, PATCH_FIELDS).throwIfErrors();
    return store.write(tx -> {
      Tenant current = find(tx, id);
      Versions.check("tenant", id, ifMatch, current.version());
      ObjectNode editable = EntityJson.tenant(current);
      editable.retain(PATCH_FIELDS);
      JsonNode merged = Json.mergePatch(editable, patch);
      FieldReader r = FieldReader.of((ObjectNode) merged, PATCH_FIELDS);
      String name = Texts.name(r, "name", r.string("name").orElse(id));
      r.throwIfErrors();
      Tenant updated = new Tenant(current.id(), name, current.createdAt(), clock.instant(), current.version() + 1);
      Versions.requireUpdated(tx.tenants().update(updated, current.version()), "tenant", id);
      audit.record(tx, principal, "tenant.update", "tenant", id, EntityJson.tenant(current), EntityJson.tenant(updated));
      return updated;
    });
  }

  /**
   * Deletes a tenant with all its data; the record of the deletion stays in the actor's chain. Announced
   * as {@code tenant.deleted} (in the deleted tenant), so that what is held in memory for it goes too.
   */
  public void delete(Principal principal, String id, Optional<Long> ifMatch) {
    principal.require(Permission.TENANTS_MANAGE);
    if (id.equals(principal.tenant().value())) {
      throw new ConflictException("you cannot delete your own tenant");
    }
    Tenant deleted = store.write(tx -> {
      Tenant current = find(tx, id);
      Versions.check("tenant", id, ifMatch, current.version());
      tx.tenants().delete(current.id());
      audit.record(tx, principal, "tenant.delete", "tenant", id, EntityJson.tenant(current), AuditTrail.ABSENT);
      return current;
    });
    events.publish(new DomainEvent(deleted.id(), "tenant.deleted", "tenant", id, clock.instant(), Json.object()));
  }

  private static Tenant find(RegistryTx tx, String id) {
    try {
      return tx.tenants().find(new TenantId(id)).orElseThrow(() -> new NotFoundException("tenant", id));
    } catch (ValidationException e) {
      throw new NotFoundException("tenant", id);
    }
  }
}
