package io.flotilla.core.telemetry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.tenant.TenantId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compiled telemetry schemas of device profiles, so a schema is compiled once per profile version and
 * not once per message. Thread-safe and bounded.
 *
 * <p>One entry per (tenant, profile), holding the version it was compiled from: a profile handed in with
 * another version (it was updated, or deleted and created again) is compiled afresh and replaces the
 * entry. A schema that does not compile (stored before schemas were checked, or refused by a newer
 * validator) is remembered as such, so a flood of messages does not compile it over and over.
 * Past {@code capacity} entries, the least recently used tenth is dropped.
 */
public final class TelemetrySchemas {
  private final int capacity;
  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong compilations = new AtomicLong();

  public TelemetrySchemas(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, not " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * The profile's compiled schema; empty when the profile has none.
   *
   * @throws ValidationException when the profile's schema does not compile (field {@code telemetrySchema})
   */
  public Optional<TelemetrySchema> of(DeviceProfile profile) {
    Key key = new Key(profile.tenant(), profile.id());
    if (profile.telemetrySchema().isEmpty()) {
      entries.remove(key);
      return Optional.empty();
    }
    Entry entry = entries.get(key);
    if (entry == null || entry.version != profile.version()) {
      entry = entries.compute(key, (k, current) -> current != null && current.version == profile.version()
          ? current : compile(profile.version(), profile.telemetrySchema().get()));
      if (entries.size() > capacity) {
        evictLeastRecentlyUsed();
      }
    }
    entry.lastUsed = System.nanoTime();
    if (entry.failure != null) {
      throw entry.failure;
    }
    return Optional.of(entry.schema);
  }

  /** Forgets a profile's schema, say when the profile is deleted. */
  public void evict(TenantId tenant, String profileId) {
    entries.remove(new Key(tenant, profileId));
  }

  public int size() {
    return entries.size();
  }

  /** How many schemas were compiled since this cache was made; for tests and metrics. */
  public long compilations() {
    return compilations.get();
  }

  private Entry compile(long version, ObjectNode schema) {
    compilations.incrementAndGet();
    try {
      return new Entry(version, TelemetrySchema.compile(schema), null);
    } catch (ValidationException e) {
      return new Entry(version, null, e);
    }
  }

  private synchronized void evictLeastRecentlyUsed() {
    int excess = entries.size() - capacity;
    if (excess <= 0) {
      return;
    }
    List<Use> uses = new ArrayList<>(entries.size());
    entries.forEach((key, entry) -> uses.add(new Use(key, entry, entry.lastUsed)));
    uses.sort(Comparator.comparingLong(Use::lastUsed));
    int drop = Math.min(uses.size(), excess + capacity / 10);
    for (int i = 0; i < drop; i++) {
      entries.remove(uses.get(i).key(), uses.get(i).entry());
    }
  }

  private record Key(TenantId tenant, String profileId) {
  }

  /** An entry's last use, read once so that sorting sees stable values. */
  private record Use(Key key, Entry entry, long lastUsed) {
  }

  private static final class Entry {
    final long version;
    final TelemetrySchema schema;
    final ValidationException failure;
    volatile long lastUsed;

    Entry(long version, TelemetrySchema schema, ValidationException failure) {
      this.version = version;
      this.schema = schema;
      this.failure = failure;
      this.lastUsed = System.nanoTime();
    }
  }
}
