package io.flotilla.core.service;

import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceSort;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.Json;
import io.flotilla.core.paging.Page;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.telemetry.Aggregate;
import io.flotilla.core.telemetry.BucketQuery;
import io.flotilla.core.telemetry.BucketValue;
import io.flotilla.core.telemetry.FleetBucket;
import io.flotilla.core.telemetry.FleetQuery;
import io.flotilla.core.telemetry.LatestValue;
import io.flotilla.core.telemetry.RawQuery;
import io.flotilla.core.telemetry.RejectedTelemetry;
import io.flotilla.core.telemetry.RetentionPolicy;
import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.telemetry.TelemetryStore;
import io.flotilla.core.telemetry.Tier;
import io.flotilla.core.telemetry.TimeBuckets;
import io.flotilla.core.tenant.TenantId;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads and manages stored telemetry for API callers: every call checks the caller's permission and
 * that the device is the caller tenant's, then asks the {@link TelemetryStore}. Aggregates read the
 * finest tier that still holds the asked range, so a year at hourly buckets reads the hourly rollups.
 */
public final class TelemetryService {

  /** The most devices one latest-values or fleet query may take in. */
  public static final int MAX_DEVICES = 100_000;

  private final RegistryStore registry;
  private final TelemetryStore store;
  private final Clock clock;
  private final Path exportDir;
  private final AuditTrail audit;
  private final GroupResolver groups = new GroupResolver();
  private final BiFunction<TenantId, String, RetentionPolicy> retentionOfProfile;

  /**
   * @param retentionOfProfile the retention of a tenant's profile
   */
  public TelemetryService(RegistryStore registry, TelemetryStore store, Clock clock, Path exportDir,
      BiFunction<TenantId, String, RetentionPolicy> retentionOfProfile) {
    this.registry = registry;
    this.store = store;
    this.clock = clock;
    this.exportDir = exportDir;
    this.audit = new AuditTrail(clock);
    this.retentionOfProfile = retentionOfProfile;
  }

  /** How to show buckets without data. */
  public enum Fill {
    /** Leave them out. */
    NONE,
    /** Show them with null values. */
    NULL,
    /** Show them with zero for every aggregate. */
    ZERO,
    /** Show them with the previous bucket's values. */
    PREVIOUS
  }

  /** One key's buckets; a value is null where a bucket was filled with nulls. */
  public record Series(String key, List<Bucket> buckets) {
  }

  public record Bucket(Instant start, Map<Aggregate, Double> values) {
  }

  public Page<TelemetryPoint> raw(Principal principal, String deviceId, Set<String> keys, Instant from, Instant to,
      int limit, Optional<String> cursor) {
    Device device = readableDevice(principal, deviceId);
    checkRange(from, to);
    return store.raw(new RawQuery(principal.tenant(), device.id().value(), keys, from, to, limit, cursor));
  }

  public List<Series> buckets(Principal principal, String deviceId, Set<String> keys, Instant from, Instant to,
      Duration bucket, ZoneId zone, Set<Aggregate> aggregates, Fill fill) {
    Device device = readableDevice(principal, deviceId);
    checkRange(from, to);
    TimeBuckets buckets = new TimeBuckets(bucket, zone);
    Set<Aggregate> asked = aggregates.isEmpty() ? Set.of(Aggregate.AVG) : aggregates;
    Tier tier = tierFor(principal.tenant(), device.profile(), from, bucket);
    List<BucketValue> rows = store.buckets(new BucketQuery(principal.tenant(), device.id().value(), keys,
        from, to, bucket, zone, asked, tier));
    return BucketFill.series(rows, buckets, from, to, asked, fill);
  }

  /** Latest values of one device. */
  public List<LatestValue> latest(Principal principal, String deviceId, Set<String> keys) {
    Device device = readableDevice(principal, deviceId);
    return store.latest(principal.tenant(), List.of(device.id().value()), keys);
  }

  /** Latest values of many devices, chosen by a filter and optionally a group. */
  public List<LatestValue> latest(Principal principal, DeviceFilter filter, Optional<String> group, Set<String> keys) {
    principal.require(Permission.REGISTRY_READ);
    List<String> ids = registry.read(tx -> devices(tx, principal.tenant(), filter, group)).stream()
        .map(d -> d.id().value()).toList();
    return store.latest(principal.tenant(), ids, keys);
  }

  /**
   * One aggregate of one key over the chosen devices, grouped by the value of a device tag (devices
   * without it are in the group "") and by time bucket.
   */
  public List<FleetBucket> fleet(Principal principal, DeviceFilter filter, Optional<String> group, String groupByTag,
      String key, Aggregate aggregate, Instant from, Instant to, Duration bucket, ZoneId zone) {
    principal.require(Permission.REGISTRY_READ);
    checkRange(from, to);
    TimeBuckets.check(bucket);
    Map<String, String> groupOfDevice = new HashMap<>();
    Map<String, Tier> tierOfProfile = new HashMap<>();
    for (Device d : registry.read(tx -> devices(tx, principal.tenant(), filter, group))) {
      groupOfDevice.put(d.id().value(), d.tags().getOrDefault(groupByTag, ""));
      tierOfProfile.computeIfAbsent(d.profile(), p -> tierFor(principal.tenant(), p, from, bucket));
    }
    // The finest tier any device needs, so no device's recent data is missed.
    Tier tier = tierOfProfile.values().stream().min(Enum::compareTo).orElse(Tier.RAW);
    if (groupOfDevice.isEmpty()) {
      return List.of();
    }
    return store.fleet(new FleetQuery(principal.tenant(), groupOfDevice, key, aggregate, from, to, bucket, zone, tier));
  }

  public Page<RejectedTelemetry> rejected(Principal principal, Optional<String> deviceId, int limit,
      Optional<String> cursor) {
    principal.require(Permission.REGISTRY_READ);
    return store.rejected(principal.tenant(), deviceId, limit, cursor);
  }

  /** Deletes every stored point of a device; audited. */
  public long deleteDeviceTelemetry(Principal principal, String deviceId) {
    principal.require(Permission.REGISTRY_WRITE);
    Device device = readableDevice(principal, deviceId);
    long deleted = store.deleteDevice(principal.tenant(), device.id().value());
    registry.write(tx -> {
      audit.record(tx, principal, "telemetry.delete", "device", deviceId, AuditTrail.ABSENT,
          Json.object().put("pointsDeleted", deleted));
      return null;
    });
    return deleted;
  }

  /** Writes a time range of raw points to a Parquet file in the export folder; audited. */
  public TelemetryStore.ExportedFile export(Principal principal, Optional<String> deviceId, Instant from, Instant to) {
    principal.require(Permission.REGISTRY_WRITE);
    deviceId.ifPresent(id -> readableDevice(principal, id));
    checkRange(from, to);
    TelemetryStore.ExportedFile file = store.exportParquet(principal.tenant(), deviceId, from, to,
        exportDir.resolve(principal.tenant().value()));
    registry.write(tx -> {
      audit.record(tx, principal, "telemetry.export", "device", deviceId.orElse("*"), AuditTrail.ABSENT,
          Json.object().put("file", file.file().getFileName().toString()).put("points", file.points())
              .put("from", from.toString()).put("to", to.toString()));
      return null;
    });
    return file;
  }

  /**
   * The finest tier that still holds {@code from} under the profile's retention, and is no finer than
   * needed: buckets of an hour or more read hourly rollups where those are complete.
   */
  Tier tierFor(TenantId tenant, String profileId, Instant from, Duration bucket) {
    RetentionPolicy retention = retentionOfProfile.apply(tenant, profileId);
    Instant now = clock.instant();
    Instant rolled = store.rolledUpTo();
    boolean rawHolds = !from.isBefore(now.minus(retention.raw()));
    boolean minuteFits = bucket.getSeconds() % 60 == 0;
    boolean hourFits = bucket.getSeconds() % 3600 == 0;
    if (rawHolds && (!minuteFits || !from.isBefore(rolled.minus(Duration.ofHours(1))))) {
      return Tier.RAW; // recent data may not be rolled up yet
    }
    if (hourFits && from.isBefore(now.minus(retention.minute()))) {
      return Tier.HOUR;
    }
    return minuteFits ? Tier.MINUTE : Tier.RAW;
  }

  private Device readableDevice(Principal principal, String deviceId) {
    principal.require(Permission.REGISTRY_READ);
    return registry.read(tx -> DeviceService.find(tx, principal.tenant(), deviceId));
  }

  private List<Device> devices(RegistryTx tx, TenantId tenant, DeviceFilter filter, Optional<String> group) {
    List<DeviceFilter> filters = new ArrayList<>(List.of(filter));
    group.ifPresent(g -> filters.add(groups.filterFor(tx, tenant, g)));
    List<Device> found = tx.devices().list(tenant, filters, DeviceSort.BY_ID, Optional.empty(), MAX_DEVICES + 1);
    if (found.size() > MAX_DEVICES) {
      throw new ValidationException("filter", "more than " + MAX_DEVICES + " devices match; narrow the selection");
    }
    return found;
  }

  private static void checkRange(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      throw new ValidationException("to", "must be after from (" + from + ")");
    }
  }
}
