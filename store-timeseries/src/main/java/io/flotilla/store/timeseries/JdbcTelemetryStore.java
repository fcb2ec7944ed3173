package io.flotilla.store.timeseries;

import io.flotilla.core.paging.Page;
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
import io.flotilla.core.tenant.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Everything both engines do the same way, over the same tables and (apart from {@link SqlDialect}) the same
 * SQL. The engines decide which connection each kind of work runs on and how rows are loaded in bulk.
 */
abstract class JdbcTelemetryStore implements TelemetryStore {
  static final String POINTS = "telemetry_points";
  static final List<String> POINT_COLUMNS = List.of("tenant", "device_id", "profile_id", "key", "time_us",
      "received_us", "kind", "value_num", "value_bool", "value_text", "value_json", "seq");
  private static final String LATEST_STAGE = "telemetry_latest_stage";
  static final String JOURNAL_APPLIED = "journal_applied";

  protected final SqlDialect dialect;
  protected final TelemetryStoreSettings settings;
  protected final BulkLoader loader;
  protected final LatestValues latest = new LatestValues();
  private final PointSequence sequence = new PointSequence(Clock.systemUTC());
  private final Aggregates aggregates;
  private final Rollups rollups;
  private final Rejections rejections;
  private final Object rollUpLock = new Object();
  private volatile LatestFlusher flusher;
  /**
   * Appends (points, then their latest values) share it; deleting a device takes it alone, so that no append
   * committed before the delete puts the device's latest values back after it.
   */
  private final ReadWriteLock appendsVersusDeletes = new ReentrantReadWriteLock();

  JdbcTelemetryStore(SqlDialect dialect, TelemetryStoreSettings settings, BulkLoader loader) {
    this.dialect = dialect;
    this.settings = settings;
    this.loader = loader;
    this.aggregates = new Aggregates(dialect, loader);
    this.rollups = new Rollups(dialect);
    this.rejections = new Rejections(settings.rejectionsPerTenant());
  }

  /** Reads (and temporary tables) in a transaction of their own. */
  abstract <T> T read(String what, SqlWork<T> work);

  /** Appends: committed and durable when this returns. */
  abstract <T> T write(String what, SqlWork<T> work);

  /** Rollups and expiry, which must not hold up appends. */
  abstract <T> T maintain(String what, SqlWork<T> work);

  /** Work that must run while neither appends nor maintenance run (deleting a device touches every table). */
  abstract <T> T exclusive(String what, SqlWork<T> work);

  /** Called before the append transaction, e.g. to create the partitions the points go to. */
  void beforeAppend(List<TelemetryPoint> points) {
  }

  @Override
  public void append(List<TelemetryPoint> points, List<RejectedTelemetry> rejected) {
    appendThrough(points, rejected, 0);
  }

  /**
   * {@link #append}, and when {@code journalRecord} is positive, records in the same transaction that the ingest
   * journal's records up to it are stored, so a replay after a crash neither loses nor repeats one.
   */
  void appendThrough(List<TelemetryPoint> points, List<RejectedTelemetry> rejected, long journalRecord) {
    if (points.isEmpty() && rejected.isEmpty() && journalRecord <= 0) {
      return;
    }
    beforeAppend(points);
    appendsVersusDeletes.readLock().lock();
    try {
      write("append " + points.size() + " points", c -> {
        loader.load(c, POINTS, POINT_COLUMNS, pointRows(points, sequence.reserve(points.size())));
        rejections.insert(c, rejected);
        if (journalRecord > 0) {
          setState(c, JOURNAL_APPLIED, journalRecord);
        }
        return null;
      });
      latest.offerAll(LatestValues.newestPerKey(points));
    } finally {
      appendsVersusDeletes.readLock().unlock();
    }
  }

  /** Starts writing the latest values behind the map; engines call it once at open, after {@link #loadLatest}. */
  void startFlushingLatest() {
    flusher = new LatestFlusher(latest, (entries, watermarkUs) -> maintain("write " + entries.size()
        + " latest values", c -> {
          writeLatest(c, entries, watermarkUs);
          return null;
        }));
  }

  /** Writes what the table lacks of the latest values; engines call it before they close their connections. */
  void stopFlushingLatest() {
    LatestFlusher running = flusher;
    if (running != null) {
      running.close();
    }
  }

  private void writeLatest(Connection c, List<LatestValues.Entry> entries, long watermarkUs) throws SQLException {
    try (Statement statement = c.createStatement()) {
      statement.execute(dialect.createTempTable(LATEST_STAGE, "tenant " + dialect.text() + ", device_id "
          + dialect.text() + ", key " + dialect.text() + ", time_us BIGINT, kind SMALLINT, value_num DOUBLE PRECISION,"
          + " value_bool BOOLEAN, value_text " + dialect.text() + ", value_json " + dialect.text()));
      loader.load(c, dialect.tempTableForLoader(LATEST_STAGE), List.of(LatestValues.STAGE_COLUMNS.split(", ")),
          LatestValues.stageRows(entries));
      statement.executeUpdate(LatestValues.UPSERT_FROM_STAGE);
      statement.executeUpdate("DELETE FROM " + LATEST_STAGE);
    }
    try (PreparedStatement statement = c.prepareStatement("UPDATE telemetry_state SET value = ? WHERE name = '"
        + LatestValues.FLUSHED + "' AND value < ?")) {
      statement.setLong(1, watermarkUs);
      statement.setLong(2, watermarkUs);
      statement.executeUpdate();
    }
  }

  /** The rows of {@link #POINT_COLUMNS}, numbered from {@code firstSeq} in the order of the list. */
  static List<Object[]> pointRows(List<TelemetryPoint> points, long firstSeq) {
    List<Object[]> rows = new ArrayList<>(points.size());
    long seq = firstSeq;
    for (TelemetryPoint p : points) {
      Object[] value = ValueColumns.of(p.value());
      rows.add(new Object[] {p.tenant().value(), p.deviceId(), p.profileId(), p.key(), EpochMicros.of(p.time()),
          EpochMicros.of(p.receivedAt()), value[0], value[1], value[2], value[3], value[4], seq++});
    }
    return rows;
  }

  @Override
  public Page<TelemetryPoint> raw(RawQuery query) {
    return read("read raw points of device " + query.deviceId(), c -> RawPages.page(c, query));
  }

  @Override
  public List<BucketValue> buckets(BucketQuery query) {
    return read("aggregate points of device " + query.deviceId(), c -> aggregates.buckets(c, query));
  }

  @Override
  public List<LatestValue> latest(TenantId tenant, Collection<String> deviceIds, Set<String> keys) {
    return latest.get(tenant, deviceIds, keys);
  }

  @Override
  public List<FleetBucket> fleet(FleetQuery query) {
    return read("aggregate key " + query.key() + " over a fleet", c -> aggregates.fleet(c, query));
  }

  @Override
  public Page<RejectedTelemetry> rejected(TenantId tenant, Optional<String> deviceId, int limit,
      Optional<String> cursor) {
    return read("read rejected payloads", c -> Rejections.page(c, tenant, deviceId, limit, cursor));
  }

  private record Slice(long points, boolean last) {
  }

  @Override
  public long rollUp(Instant before) {
    long beforeUs = EpochMicros.of(before);
    long sliceUs = settings.rollupSlice().toNanos() / 1_000;
    long total = 0;
    synchronized (rollUpLock) {
      while (true) {
        Slice slice = maintain("roll up points received before " + before, c -> {
          long from = Rollups.watermark(c, dialect == SqlDialect.POSTGRES);
          if (from >= beforeUs) {
            return new Slice(0, true);
          }
          long next = Rollups.nextReceived(c, from, beforeUs);
          long to = next < 0 ? beforeUs : Math.min(beforeUs, Math.max(from, next) + sliceUs);
          long points = rollups.rollSlice(c, from, to);
          Rollups.advance(c, to);
          return new Slice(points, to == beforeUs);
        });
        total += slice.points();
        if (slice.last()) {
          return total;
        }
      }
    }
  }

  /** The last ingest journal record stored by {@link #appendThrough}; 0 when none. */
  long journalApplied() {
    return read("read the journal watermark", c -> {
      try (PreparedStatement statement = c.prepareStatement(
          "SELECT value FROM telemetry_state WHERE name = '" + JOURNAL_APPLIED + "'");
          ResultSet rs = statement.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  private static void setState(Connection c, String name, long value) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement("UPDATE telemetry_state SET value = ? WHERE name = ?")) {
      statement.setLong(1, value);
      statement.setString(2, name);
      statement.executeUpdate();
    }
  }

  @Override
  public Instant rolledUpTo() {
    return EpochMicros.toInstant(read("read the rollup watermark", c -> Rollups.watermark(c, false)));
  }

  @Override
  public long expire(TenantId tenant, String profileId, Tier tier, Instant before) {
    long beforeUs = EpochMicros.of(before);
    return maintain("expire " + tier + " rows of profile " + profileId, c -> {
      String sql = tier == Tier.RAW
          ? "DELETE FROM " + POINTS + " WHERE tenant = ? AND profile_id = ? AND time_us < ? AND received_us < ?"
          : "DELETE FROM " + Rollups.table(tier) + " WHERE tenant = ? AND profile_id = ? AND bucket_us <= ?";
      try (PreparedStatement statement = c.prepareStatement(sql)) {
        statement.setString(1, tenant.value());
        statement.setString(2, profileId);
        if (tier == Tier.RAW) {
          statement.setLong(3, beforeUs);
          statement.setLong(4, Rollups.watermark(c, false));
        } else {
          statement.setLong(3, beforeUs - tier.resolution().toNanos() / 1_000);
        }
        return (long) statement.executeUpdate();
      }
    });
  }

  @Override
  public long deleteDevice(TenantId tenant, String deviceId) {
    appendsVersusDeletes.writeLock().lock();
    try {
      return flusher.excluding(() -> deleteDeviceNow(tenant, deviceId));
    } finally {
      appendsVersusDeletes.writeLock().unlock();
    }
  }

  private long deleteDeviceNow(TenantId tenant, String deviceId) {
    long deleted = exclusive("delete the telemetry of device " + deviceId, c -> {
      long points = 0;
      for (String table : List.of(POINTS, "telemetry_rollup_1m", "telemetry_rollup_1h", "telemetry_latest",
          "telemetry_rejected")) {
        try (PreparedStatement statement =
            c.prepareStatement("DELETE FROM " + table + " WHERE tenant = ? AND device_id = ?")) {
          statement.setString(1, tenant.value());
          statement.setString(2, deviceId);
          int rows = statement.executeUpdate();
          points = table.equals(POINTS) ? rows : points;
        }
      }
      return points;
    });
    latest.removeDevice(tenant, deviceId);
    return deleted;
  }

  /** Fills the hot latest values from their table; engines call it once at open. */
  void loadLatest(Connection connection) throws SQLException {
    latest.load(connection);
  }
}
