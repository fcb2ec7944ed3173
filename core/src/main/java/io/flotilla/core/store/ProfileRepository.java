package io.flotilla.core.store;

import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.tenant.TenantId;
import java.util.List;
import java.util.Optional;

public interface ProfileRepository {
  /** Throws {@link DuplicateKeyException} when the id is taken in the tenant. */
  void insert(DeviceProfile profile);

  Optional<DeviceProfile> find(TenantId tenant, String id);

  /** The tenant's profiles ordered by id. */
  List<DeviceProfile> list(TenantId tenant);

  boolean update(DeviceProfile profile, long expectedVersion);

  boolean delete(TenantId tenant, String id);
}
