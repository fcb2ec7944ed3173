package io.flotilla.core.store;

import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.Tombstone;
import io.flotilla.core.tenant.TenantId;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Tombstones of decommissioned and deleted devices: an id with a tombstone cannot be given to a new device. Every
 * way of creating a device (the API, bulk import, just-in-time registration) checks {@link #find} or
 * {@link #existing} in the transaction that inserts it.
 */
public interface TombstoneRepository {
  /** Stores the tombstone unless the id has one already; false when it had. */
  boolean insert(Tombstone tombstone);

  /** Replaces the id's tombstone (its deletion time, purge, counts); false when it has none. */
  boolean update(Tombstone tombstone);

  Optional<Tombstone> find(TenantId tenant, DeviceId device);

  /** Which of {@code ids} have a tombstone in the tenant. */
  Set<DeviceId> existing(TenantId tenant, Collection<DeviceId> ids);

  /** Removes the id's tombstone, so that the id may be used again; false when it had none. */
  boolean delete(TenantId tenant, DeviceId device);
}
