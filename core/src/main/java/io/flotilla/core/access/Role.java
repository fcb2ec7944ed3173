package io.flotilla.core.access;

import java.util.EnumSet;
import java.util.Set;

/** The roles a user or token can hold, from most to least powerful. */
public enum Role {
  /** Manages tenants, and administers its own tenant. */
  SYSTEM_ADMIN(EnumSet.allOf(Permission.class)),
  /** Administers one tenant: users, tokens, profiles, devices, groups, topic ACL rules, audit. */
  TENANT_ADMIN(EnumSet.complementOf(EnumSet.of(Permission.TENANTS_MANAGE))),
  /**
   * Manages devices, profiles, groups (and later jobs); reads topic ACL rules but cannot change them, nor
   * manage users or read the audit log.
   */
  OPERATOR(EnumSet.of(Permission.REGISTRY_WRITE, Permission.REGISTRY_READ)),
  /** Reads the registry, changes nothing. */
  VIEWER(EnumSet.of(Permission.REGISTRY_READ));

  private final Set<Permission> permissions;

  Role(Set<Permission> permissions) {
    this.permissions = permissions;
  }

  public boolean allows(Permission permission) {
    return permissions.contains(permission);
  }

  /** True when this role holds every permission of {@code other}, so it may hand that role out. */
  public boolean covers(Role other) {
    return permissions.containsAll(other.permissions);
  }

  /** The lower-case name used in JSON and configuration ({@code tenant_admin}). */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Role fromWire(String value) {
    for (Role role : values()) {
      if (role.wireName().equals(value)) {
        return role;
      }
    }
    throw new io.flotilla.core.error.ValidationException("role",
        "'" + value + "' is not a role; use one of system_admin, tenant_admin, operator, viewer");
  }
}
