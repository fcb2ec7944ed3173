package io.flotilla.core.store;

import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceCursor;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceSort;
import io.flotilla.core.tenant.TenantId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

public interface DeviceRepository {
  /** Throws {@link DuplicateKeyException} when the id is taken in the tenant. */
  void insert(Device device);

  /**
   * Inserts many devices in the current transaction, as fast as the engine allows (batched).
   * Throws {@link DuplicateKeyException} when any id is taken, and then inserts none of them.
   */
  void insertAll(List<Device> devices);

  Optional<Device> find(TenantId tenant, DeviceId id);

  /** Which of {@code ids} exist in the tenant. */
  Set<DeviceId> existing(TenantId tenant, Collection<DeviceId> ids);

  /** Replaces the stored device if its version is still {@code expectedVersion}; false when it is not. */
  boolean update(Device device, long expectedVersion);

  /** Deletes the device and its group memberships. */
  boolean delete(TenantId tenant, DeviceId id);

  /**
   * Devices matching every filter in {@code filters}, in {@code sort} order (ties broken by id),
   * starting strictly after {@code after}, at most {@code limit}. Text sorts by character code
   * (upper case before lower case), the same on every engine; statuses sort by their wire names.
   */
  List<Device> list(TenantId tenant, List<DeviceFilter> filters, DeviceSort sort, Optional<DeviceCursor> after,
      int limit);

  /** How many devices match every filter. */
  long count(TenantId tenant, List<DeviceFilter> filters);

  /** How many devices use the profile. */
  long countByProfile(TenantId tenant, String profile);
}
