package io.flotilla.core.store;

import io.flotilla.core.tenant.Tenant;
import io.flotilla.core.tenant.TenantId;
import java.util.List;
import java.util.Optional;

public interface TenantRepository {
  /** Inserts a new tenant; throws {@link DuplicateKeyException} when the id is taken. */
  void insert(Tenant tenant);

  Optional<Tenant> find(TenantId id);

  /** All tenants ordered by id. */
  List<Tenant> list();

  /** Replaces the stored tenant if its version is still {@code expectedVersion}; false when it is not. */
  boolean update(Tenant tenant, long expectedVersion);

  /** Deletes the tenant and everything that belongs to it, its audit chain included. */
  boolean delete(TenantId id);
}
