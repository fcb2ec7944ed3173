package io.flotilla.core.telemetry;

import io.flotilla.core.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Set;

/**
 * Aggregates of one device's numeric keys over time buckets in {@code [from, to)}.
 *
 * <p>Buckets are aligned in {@code zone}: a bucket of a day or more starts at local midnight, an hour
 * bucket at the top of the local hour (which matters for zones with half-hour offsets), smaller
 * buckets at multiples of their size since local midnight. Only buckets with data are returned; the
 * caller fills gaps when asked to.
 *
 * @param tier which resolution to read; MINUTE and HOUR read rollups, whose rows must fit the bucket
 */
public record BucketQuery(TenantId tenant, String deviceId, Set<String> keys, Instant from, Instant to,
    Duration bucket, ZoneId zone, Set<Aggregate> aggregates, Tier tier) {
  public BucketQuery {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(deviceId, "deviceId");
    keys = Set.copyOf(keys);
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(zone, "zone");
    aggregates = Set.copyOf(aggregates);
    Objects.requireNonNull(tier, "tier");
    if (bucket.isNegative() || bucket.isZero()) {
      throw new IllegalArgumentException("bucket must be positive");
    }
  }
}
