package io.flotilla.core.service;

import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.tenant.TenantId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Profiles as the telemetry paths see them: read from the registry at most once per {@code maxAge} per
 * profile, so checking a message or planning a query costs no database read; a changed schema or retention
 * applies within that time. The lifecycle job does not need it: it reads every profile once per run anyway.
 */
public final class ProfileCache {

  private record Key(TenantId tenant, String id) {
  }

  private record Entry(DeviceProfile profile, long loadedNanos) {
  }

  private final RegistryStore registry;
  private final long maxAgeNanos;
  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

  public ProfileCache(RegistryStore registry, Duration maxAge) {
    this.registry = registry;
    this.maxAgeNanos = maxAge.toNanos();
  }

  /** The profile, read again when the copy held is older than the maximum age. */
  public DeviceProfile get(TenantId tenant, String id) {
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
