package io.flotilla.core.store;

import io.flotilla.core.device.DeviceId;
import io.flotilla.core.group.DeviceGroup;
import io.flotilla.core.tenant.TenantId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

public interface GroupRepository {
  /** Throws {@link DuplicateKeyException} when the id is taken in the tenant. */
  void insert(DeviceGroup group);

  Optional<DeviceGroup> find(TenantId tenant, String id);

  /** The tenant's groups ordered by id. */
  List<DeviceGroup> list(TenantId tenant);

  boolean update(DeviceGroup group, long expectedVersion);

  /** Deletes the group and its memberships. */
  boolean delete(TenantId tenant, String id);

  /**
   * Adds devices to a static group; devices already in it are left as they are, and ids that name
   * no device of the tenant (or a group that does not exist) are skipped. Returns how many were added.
   */
  int addMembers(TenantId tenant, String groupId, Collection<DeviceId> devices);

  /** Returns true when the device was a member. */
  boolean removeMember(TenantId tenant, String groupId, DeviceId device);

  /** The static groups the device belongs to, ordered by id. */
  List<String> groupsOf(TenantId tenant, DeviceId device);
}
