package io.flotilla.core.telemetry;

import io.flotilla.core.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/**
 * One aggregate of one numeric key over many devices, per group and time bucket: "average temperature
 * per site per hour". The registry decides which devices take part and which group each is in.
 *
 * @param groupOfDevice device id → group label (the value of a tag, say); devices not in it are left out
 */
public record FleetQuery(TenantId tenant, Map<String, String> groupOfDevice, String key, Aggregate aggregate,
    Instant from, Instant to, Duration bucket, ZoneId zone, Tier tier) {
  public FleetQuery {
    Objects.requireNonNull(tenant, "tenant");
    groupOfDevice = Map.copyOf(groupOfDevice);
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(aggregate, "aggregate");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(tier, "tier");
  }
}
