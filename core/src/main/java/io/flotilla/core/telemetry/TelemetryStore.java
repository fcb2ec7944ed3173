package io.flotilla.core.telemetry;

import io.flotilla.core.paging.Page;
import io.flotilla.core.tenant.TenantId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The time-series store: one port, one implementation per engine (DuckDB embedded, PostgreSQL for
 * clusters). Every call names its tenant; no call reads or changes another tenant's data.
 *
 * <p>Writes come from one pipeline thread per partition, possibly several at once; reads come from any
 * thread.
 */
public interface TelemetryStore extends AutoCloseable {

  /**
   * Stores points and rejections in one transaction; when this returns they are durable (committed and
   * synced as the engine defines it). Also updates the hot latest values.
   */
  void append(List<TelemetryPoint> points, List<RejectedTelemetry> rejections);

  Page<TelemetryPoint> raw(RawQuery query);

  /** Bucketed aggregates of numeric points, ordered by key then bucket start. */
  List<BucketValue> buckets(BucketQuery query);

  /**
   * The newest value of each key of each device asked for, served from memory (no disk read).
   *
   * @param keys the keys wanted; empty means every key
   */
  List<LatestValue> latest(TenantId tenant, Collection<String> deviceIds, Set<String> keys);

  /** A fleet aggregate, ordered by group then bucket start. */
  List<FleetBucket> fleet(FleetQuery query);

  /** Rejected payloads, newest first; {@code deviceId} empty for every device of the tenant. */
  Page<RejectedTelemetry> rejected(TenantId tenant, Optional<String> deviceId, int limit, Optional<String> cursor);

  /**
   * Rolls raw points received before {@code before} into the 1-minute and 1-hour tiers, incrementally:
   * the store remembers (durably) how far it has rolled, and points that arrive late for an already
   * rolled bucket are merged into it. Never blocks {@link #append}.
   *
   * @return how many raw points were rolled up by this call
   */
  long rollUp(Instant before);

  /** How far rollups have reached: raw points received before this are in the rollup tiers. */
  Instant rolledUpTo();

  /**
   * Deletes the tier's rows of one profile older than {@code before} (by reading time). Raw points are
   * only deleted where they have been rolled up.
   *
   * @return rows deleted
   */
  long expire(TenantId tenant, String profileId, Tier tier, Instant before);

  /** Deletes every point, rollup, latest value and rejection of one device; returns points deleted. */
  long deleteDevice(TenantId tenant, String deviceId);

  /**
   * Writes the raw points of a tenant (one device when given) in {@code [from, to)} to a Parquet file in
   * {@code directory}; returns the file and the number of points.
   */
  ExportedFile exportParquet(TenantId tenant, Optional<String> deviceId, Instant from, Instant to, Path directory);

  /** Reclaims space where the engine needs it (DuckDB CHECKPOINT, PostgreSQL VACUUM of touched tables). */
  void compact();

  /** Bytes the store occupies on disk, for metrics and the benchmark. */
  long diskBytes();

  boolean isReady();

  @Override
  void close();

  /** A Parquet file written by {@link #exportParquet}. */
  record ExportedFile(Path file, long points) {
  }
}
