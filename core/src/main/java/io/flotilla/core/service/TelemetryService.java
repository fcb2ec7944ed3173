package io.flotilla.core.service;

import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceSort;
import io.flotilla.core.device.RetentionPolicy;
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
    List<BucketValue> rows = new ArrayList<>();
    for (Segment s : plan(List.of(retentionOfProfile.apply(principal.tenant(), device.profile())), from, to, buckets)) {
      rows.addAll(store.buckets(new BucketQuery(principal.tenant(), device.id().value(), keys, s.from(), s.to(),
          bucket, zone, asked, s.tier())));
    }
    rows.sort(java.util.Comparator.comparing(BucketValue::key).thenComparing(BucketValue::bucketStart));
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
    Map<String, RetentionPolicy> retentionOf = new HashMap<>();
    for (Device d : registry.read(tx -> devices(tx, principal.tenant(), filter, group))) {
      groupOfDevice.put(d.id().value(), d.tags().getOrDefault(groupByTag, ""));
      retentionOf.computeIfAbsent(d.profile(), p -> retentionOfProfile.apply(principal.tenant(), p));
    }
    if (groupOfDevice.isEmpty()) {
      return List.of();
    }
    List<FleetBucket> out = new ArrayList<>();
    for (Segment s : plan(retentionOf.values(), from, to, new TimeBuckets(bucket, zone))) {
      out.addAll(store.fleet(new FleetQuery(principal.tenant(), groupOfDevice, key, aggregate, s.from(), s.to(),
          bucket, zone, s.tier())));
    }
    out.sort(java.util.Comparator.comparing(FleetBucket::group).thenComparing(FleetBucket::bucketStart));
    return out;
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

  /** A part of a query's range and the tier that holds it. */
  record Segment(Tier tier, Instant from, Instant to) {
  }

  /**
   * Splits {@code [from, to)} at a bucket boundary into the part older than raw retention, read from a
   * rollup tier (1-minute while those are kept and the bucket is whole minutes, else 1-hour), and the
   * recent part, read from raw points, which are complete there even before they are rolled up. With
   * several profiles the split follows the shortest raw retention.
   */
  List<Segment> plan(java.util.Collection<RetentionPolicy> retentions, Instant from, Instant to, TimeBuckets buckets) {
    Instant now = clock.instant();
    Duration raw = retentions.stream().map(RetentionPolicy::raw).min(Duration::compareTo)
        .orElse(RetentionPolicy.DEFAULT.raw());
    Duration minute = retentions.stream().map(RetentionPolicy::minute).min(Duration::compareTo)
        .orElse(RetentionPolicy.DEFAULT.minute());
    Instant rawStart = now.minus(raw);
    if (!from.isBefore(rawStart)) {
      return List.of(new Segment(Tier.RAW, from, to));
    }
    Instant floor = buckets.floor(rawStart);
    Instant split = floor.equals(rawStart) ? floor : buckets.next(floor);
    if (split.isAfter(to)) {
      split = to;
    }
    long seconds = buckets.size().getSeconds();
    Tier rollup = seconds % 60 == 0 && !from.isBefore(now.minus(minute)) ? Tier.MINUTE
        : seconds % 3600 == 0 ? Tier.HOUR : Tier.MINUTE;
    if (seconds % 60 != 0) {
      throw new ValidationException("bucket", "data older than the raw retention (" + raw.toDays()
          + " days) is kept in 1-minute and 1-hour rollups; use a bucket of whole minutes");
    }
    List<Segment> plan = new ArrayList<>(2);
    if (from.isBefore(split)) {
      plan.add(new Segment(rollup, from, split));
    }
    if (split.isBefore(to)) {
      plan.add(new Segment(Tier.RAW, split, to));
    }
    return plan;
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
