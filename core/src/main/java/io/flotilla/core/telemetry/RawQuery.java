package io.flotilla.core.telemetry;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Raw points of one device in {@code [from, to)}, ordered by time then key, a page at a time.
 *
 * @param keys   the keys wanted; empty means every key
 * @param cursor opaque cursor from the previous page's {@link io.flotilla.core.paging.Page#nextCursor()}
 */
public record RawQuery(TenantId tenant, String deviceId, Set<String> keys, Instant from, Instant to, int limit,
    Optional<String> cursor) {
  public RawQuery {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(deviceId, "deviceId");
    keys = Set.copyOf(keys);
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(cursor, "cursor");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
  }
}
