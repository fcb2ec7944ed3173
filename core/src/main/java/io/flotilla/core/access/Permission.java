package io.flotilla.core.access;

/** What an API call needs. Roles grant sets of these; services check them, adapters never do. */
public enum Permission {
  /** Create, change and delete tenants: system administrators only. */
  TENANTS_MANAGE,
  /** Manage the tenant's users and everybody's tokens. */
  USERS_MANAGE,
  /** Create, change and delete profiles, devices and groups. */
  REGISTRY_WRITE,
  /** Read profiles, devices and groups. */
  REGISTRY_READ,
  /** Read and verify the tenant's audit log. */
  AUDIT_READ,
  /**
   * Create, change and delete the tenant's topic ACL rules, which widen what devices may publish and
   * subscribe to; a security setting, so tenant administrators only (reading them needs {@link #REGISTRY_READ}).
   */
  ACL_MANAGE,
  /**
   * Release the tombstoned id of a deleted or decommissioned device, so that a new device may take it: the new
   * device would be mistaken for the old one in audit trails and exports, so tenant administrators only.
   */
  IDS_RELEASE,
  /**
   * Register, change and remove the tenant's own CAs (bring your own CA): a registered CA lets every device
   * its key signs register itself, so it is a trust anchor like the topic rules, for tenant administrators only
   * (reading them needs {@link #REGISTRY_READ}).
   */
  CA_MANAGE
}
