package io.flotilla.core.service;

import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.tenant.TenantId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Profiles as the ingest path sees them: read from the registry at most once per {@code maxAgeNanos}
 * per profile, so checking a message costs no database read; a changed schema applies within that time.
 */
final class ProfileCache {

  private record Key(TenantId tenant, String id) {
  }

  private record Entry(DeviceProfile profile, long loadedNanos) {
  }

  private final RegistryStore registry;
  private final long maxAgeNanos;
  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

  ProfileCache(RegistryStore registry, long maxAgeNanos) {
    this.registry = registry;
    this.maxAgeNanos = maxAgeNanos;
  }

  DeviceProfile get(TenantId tenant, String id) {
    Key key = new Key(tenant, id);
    long now = System.nanoTime();
    Entry entry = entries.get(key);
    if (entry == null || now - entry.loadedNanos() > maxAgeNanos) {
      DeviceProfile profile = registry.read(tx -> tx.profiles().find(tenant, id))
          .orElseThrow(() -> new NotFoundException("profile", id));
      entry = new Entry(profile, now);
      entries.put(key, entry);
    }
    return entry.profile();
  }
}
