package io.flotilla.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.Identifiers;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.Role;
import io.flotilla.core.access.User;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.error.ForbiddenException;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The users of a tenant. Nobody can grant a role wider than their own. */
public final class UserService {
  static final Set<String> CREATE_FIELDS = Set.of("id", "displayName", "role", "disabled");
  static final Set<String> PATCH_FIELDS = Set.of("displayName", "role", "disabled");

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;

  public UserService(RegistryStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
  }

  public User create(Principal principal, ObjectNode body) {
    principal.require(Permission.USERS_MANAGE);
    FieldReader r = FieldReader.of(body, CREATE_FIELDS);
    String id = r.string("id").orElse("");
    if (!r.hasErrorAt("id") && !Identifiers.isEntityId(id)) {
      r.error("id", id.isEmpty() ? "is required" : Identifiers.describeInvalid(id));
    }
    if (!r.hasErrorAt("role") && r.string("role").isEmpty()) {
      r.error("role", "is required: one of tenant_admin, operator, viewer");
    }
    Instant now = clock.instant();
    User user = read(r, principal, id, now, now, 1);
    return store.write(tx -> {
      try {
        tx.users().insert(user);
      } catch (DuplicateKeyException e) {
        throw new ConflictException("a user with id '" + id + "' exists already in this tenant");
      }
      audit.record(tx, principal, "user.create", "user", id, AuditTrail.ABSENT, EntityJson.user(user));
      return user;
    });
  }

  public User get(Principal principal, String id) {
    if (!id.equals(principal.userId())) {
      principal.require(Permission.USERS_MANAGE);
    }
    return store.read(tx -> find(tx, principal.tenant(), id));
  }

  public List<User> list(Principal principal) {
    principal.require(Permission.USERS_MANAGE);
    return store.read(tx -> tx.users().list(principal.tenant()));
  }

  public User patch(Principal principal, String id, ObjectNode patch, Optional<Long> ifMatch) {
    principal.require(Permission.USERS_MANAGE);
    FieldReader.of(patch, PATCH_FIELDS).throwIfErrors();
    return store.write(tx -> {
      User current = find(tx, principal.tenant(), id);
      Versions.check("user", id, ifMatch, current.version());
      requireCovered(principal, current.role());
      ObjectNode editable = EntityJson.user(current);
      editable.retain(PATCH_FIELDS);
      JsonNode merged = Json.mergePatch(editable, patch);
      User updated = read(FieldReader.of((ObjectNode) merged, PATCH_FIELDS), principal, id, current.createdAt(),
          clock.instant(), current.version() + 1);
      if (id.equals(principal.userId()) && (updated.disabled() || updated.role() != current.role())) {
        throw new ConflictException("you cannot disable yourself or change your own role");
      }
      Versions.requireUpdated(tx.users().update(updated, current.version()), "user", id);
      audit.record(tx, principal, "user.update", "user", id, EntityJson.user(current), EntityJson.user(updated));
      return updated;
    });
  }

  public void delete(Principal principal, String id, Optional<Long> ifMatch) {
    principal.require(Permission.USERS_MANAGE);
    if (id.equals(principal.userId())) {
      throw new ConflictException("you cannot delete yourself");
    }
    store.write(tx -> {
      User current = find(tx, principal.tenant(), id);
      Versions.check("user", id, ifMatch, current.version());
      requireCovered(principal, current.role());
      tx.users().delete(principal.tenant(), id);
      audit.record(tx, principal, "user.delete", "user", id, EntityJson.user(current), AuditTrail.ABSENT);
      return null;
    });
  }

  private static User find(RegistryTx tx, TenantId tenant, String id) {
    return tx.users().find(tenant, id).orElseThrow(() -> new NotFoundException("user", id));
  }

  private static void requireCovered(Principal principal, Role role) {
    if (!principal.role().covers(role)) {
      throw new ForbiddenException("role " + principal.role().wireName() + " cannot manage a " + role.wireName());
    }
  }

  private static User read(FieldReader r, Principal principal, String id, Instant created, Instant updated,
      long version) {
    String displayName = Texts.name(r, "displayName", r.string("displayName").orElse(id));
    Role role = Role.VIEWER;
    try {
      role = Role.fromWire(r.string("role").orElse("viewer"));
    } catch (ValidationException e) {
      r.error("role", e.errors().get(0).message());
    }
    boolean disabled = r.bool("disabled").orElse(false);
    r.throwIfErrors();
    requireCovered(principal, role);
    return new User(principal.tenant(), id, displayName, role, disabled, created, updated, version);
  }
}
