package io.flotilla.store.timeseries;

import io.flotilla.core.paging.Page;
import io.flotilla.core.store.StoreException;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store whose appends are durable once they are in an ingest journal (an append-only file, synced; a few hundred
 * microseconds) and reach the engine behind it on a thread of their own. DuckDB stalls its single writer for 100–200
 * ms whenever it checkpoints its WAL, every few seconds under load; acknowledging devices from the journal keeps
 * those stalls off their latency, while the engine still gets big transactions.
 *
 * <p>The engine stores the number of the last journal record it holds in the same transaction as the points, so at
 * open the records after it are replayed exactly once. Reads and deletes first wait until everything journaled
 * before they started is in the engine: a device's acknowledged points are always visible to the next query.
 * The backlog is bounded; when the engine falls behind it, appends wait, and the bus's backpressure reaches the
 * devices as before.
 */
public final class JournaledTelemetryStore implements TelemetryStore {
  private static final Logger LOG = LoggerFactory.getLogger(JournaledTelemetryStore.class);

  /**
   * @param segmentBytes  journal file size at which a new one starts (applied files are deleted)
   * @param backlogPoints points journaled but not yet in the engine, at most (appends wait beyond it)
   * @param applyPoints   points per engine transaction, at most
   * @param waitFor       how long an append waits for room, and a read for the engine to catch up, before failing
   */
  public record Limits(long segmentBytes, int backlogPoints, int applyPoints, Duration waitFor) {
    public static final Limits DEFAULTS = new Limits(64L << 20, 250_000, 50_000, Duration.ofSeconds(30));

    public Limits {
      if (segmentBytes < 1 || backlogPoints < 1 || applyPoints < 1) {
        throw new IllegalArgumentException("journal limits must be positive");
      }
    }
  }

  private record Entry(long record, List<TelemetryPoint> points, List<RejectedTelemetry> rejections, int weight) {
  }

  private final JdbcTelemetryStore engine;
  private final IngestJournal journal;
  private final Limits limits;
  private final Object appendLock = new Object();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Entry> backlog = new ArrayDeque<>();
  private final Thread applier;
  private long backlogWeight;
  private volatile long applied;
  private volatile boolean closing;
  private volatile boolean closed;
  private volatile RuntimeException applyFailure;

  private JournaledTelemetryStore(JdbcTelemetryStore engine, IngestJournal journal, Limits limits, long applied) {
    this.engine = engine;
    this.journal = journal;
    this.limits = limits;
    this.applied = applied;
    this.applier = Thread.ofPlatform().name("telemetry-journal-applier").daemon(true).unstarted(this::applyLoop);
  }

  /**
   * Puts a journal in {@code folder} in front of {@code engine}, first storing what an earlier run journaled but had
   * not stored when it stopped. Closing the returned store closes the engine.
   */
  static JournaledTelemetryStore open(JdbcTelemetryStore engine, Path folder, Limits limits) {
    IngestJournal journal = null;
    try {
      long applied = engine.journalApplied();
      journal = IngestJournal.open(folder, limits.segmentBytes(), applied);
      applied = replay(engine, journal, applied, limits.applyPoints());
      journal.release(applied);
      JournaledTelemetryStore store = new JournaledTelemetryStore(engine, journal, limits, applied);
      store.applier.start();
      return store;
    } catch (RuntimeException e) {
      if (journal != null) {
        journal.close();
      }
      engine.close();
      throw e;
    }
  }

  private static long replay(JdbcTelemetryStore engine, IngestJournal journal, long applied, int applyPoints) {
    List<TelemetryPoint> points = new ArrayList<>();
    List<RejectedTelemetry> rejections = new ArrayList<>();
    long[] last = {applied};
    long[] replayed = {0, 0};
    journal.replay(applied, (record, bytes) -> {
      JournalRecords.Group group = JournalRecords.decode(bytes);
      points.addAll(group.points());
      rejections.addAll(group.rejections());
      last[0] = record;
      replayed[0]++;
      if (points.size() + rejections.size() >= applyPoints) {
        engine.appendThrough(points, rejections, record);
        replayed[1] += points.size();
        points.clear();
        rejections.clear();
      }
    });
    if (last[0] > applied) {
      engine.appendThrough(points, rejections, last[0]);
      replayed[1] += points.size();
      LOG.info("Stored {} telemetry points of {} journal records that were acknowledged but not yet stored when the"
          + " server stopped.", replayed[1], replayed[0]);
    }
    return last[0];
  }

  @Override
  public void append(List<TelemetryPoint> points, List<RejectedTelemetry> rejections) {
    if (points.isEmpty() && rejections.isEmpty()) {
      return;
    }
    requireOpen();
    byte[] bytes = JournalRecords.encode(points, rejections);
    int weight = points.size() + rejections.size();
    reserve(weight);
    long record;
    synchronized (appendLock) {
      try {
        record = journal.append(bytes);
      } catch (RuntimeException e) {
        unreserve(weight);
        throw e;
      }
      lock.lock();
      try {
        backlog.add(new Entry(record, points, rejections, weight));
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
    journal.syncThrough(record);
  }

  /** Waits for room in the backlog; the first append always fits, however large. */
  private void reserve(int weight) {
    long deadline = System.nanoTime() + limits.waitFor().toNanos();
    lock.lock();
    try {
      while (backlogWeight > 0 && backlogWeight + weight > limits.backlogPoints()) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closing) {
          throw behind("room for " + weight + " more points");
        }
        changed.awaitNanos(left);
      }
      backlogWeight += weight;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("Interrupted while waiting for the telemetry store", e);
    } finally {
      lock.unlock();
    }
  }

  private void unreserve(int weight) {
    lock.lock();
    try {
      backlogWeight -= weight;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Returns once everything journaled before the call is in the engine. */
  private void caughtUp() {
    long target = journal.lastNumber();
    if (applied >= target) {
      return;
    }
    long deadline = System.nanoTime() + limits.waitFor().toNanos();
    lock.lock();
    try {
      while (applied < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed) {
          throw behind("the points acknowledged so far to be stored");
        }
        changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("Interrupted while waiting for the telemetry store", e);
    } finally {
      lock.unlock();
    }
  }

  private StoreException behind(String waitingFor) {
    RuntimeException failure = applyFailure;
    return new StoreException("The telemetry store is behind: waited " + limits.waitFor().toSeconds() + " s for "
        + waitingFor + (failure == null ? "" : "; it fails with: " + failure.getMessage()), failure);
  }

  private void applyLoop() {
    List<Entry> taken = new ArrayList<>();
    while (true) {
      lock.lock();
      try {
        while (backlog.isEmpty() && !closing) {
          changed.awaitUninterruptibly();
        }
        if (backlog.isEmpty()) {
          return;
        }
        int points = 0;
        while (!backlog.isEmpty() && (taken.isEmpty() || points + backlog.peek().weight() <= limits.applyPoints())) {
          Entry e = backlog.poll();
          points += e.weight();
          taken.add(e);
        }
      } finally {
        lock.unlock();
      }
      if (!applyWithRetries(taken)) {
        return; // closing while the engine fails: the journal keeps the rest for the next start
      }
      long last = taken.get(taken.size() - 1).record();
      int weight = taken.stream().mapToInt(Entry::weight).sum();
      taken.clear();
      lock.lock();
      try {
        applied = last;
        backlogWeight -= weight;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      journal.release(last);
    }
  }

  private boolean applyWithRetries(List<Entry> entries) {
    List<TelemetryPoint> points = new ArrayList<>();
    List<RejectedTelemetry> rejections = new ArrayList<>();
    for (Entry e : entries) {
      points.addAll(e.points());
      rejections.addAll(e.rejections());
    }
    long last = entries.get(entries.size() - 1).record();
    long backoffMillis = 20;
    long giveUpAt = Long.MAX_VALUE;
    while (true) {
      try {
        engine.appendThrough(points, rejections, last);
        if (applyFailure != null) {
          LOG.info("The telemetry store accepts writes again; the journal backlog is being stored.");
          applyFailure = null;
        }
        return true;
      } catch (RuntimeException e) {
        if (applyFailure == null) {
          LOG.error("Storing {} journaled telemetry points failed; they stay in the journal and are retried", points.size(), e);
        }
        applyFailure = e;
        if (closing) {
          giveUpAt = Math.min(giveUpAt, System.nanoTime() + limits.waitFor().toNanos());
          if (System.nanoTime() > giveUpAt) {
            LOG.error("Closing with telemetry records {}–{} still in the journal only; they are stored at the next"
                + " start", entries.get(0).record(), journal.lastNumber());
            return false;
          }
        }
        try {
          TimeUnit.MILLISECONDS.sleep(backoffMillis);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
        backoffMillis = Math.min(backoffMillis * 2, 1_000);
      }
    }
  }

  private void requireOpen() {
    if (closing) {
      throw new StoreException("The telemetry store is closed", null);
    }
  }

  @Override
  public Page<TelemetryPoint> raw(RawQuery query) {
    caughtUp();
    return engine.raw(query);
  }

  @Override
  public List<BucketValue> buckets(BucketQuery query) {
    caughtUp();
    return engine.buckets(query);
  }

  @Override
  public List<LatestValue> latest(TenantId tenant, Collection<String> deviceIds, Set<String> keys) {
    caughtUp();
    return engine.latest(tenant, deviceIds, keys);
  }

  @Override
  public List<FleetBucket> fleet(FleetQuery query) {
    caughtUp();
    return engine.fleet(query);
  }

  @Override
  public Page<RejectedTelemetry> rejected(TenantId tenant, Optional<String> deviceId, int limit,
      Optional<String> cursor) {
    caughtUp();
    return engine.rejected(tenant, deviceId, limit, cursor);
  }

  @Override
  public long rollUp(Instant before) {
    caughtUp();
    return engine.rollUp(before);
  }

  @Override
  public Instant rolledUpTo() {
    return engine.rolledUpTo();
  }

  @Override
  public long expire(TenantId tenant, String profileId, Tier tier, Instant before) {
    caughtUp();
    return engine.expire(tenant, profileId, tier, before);
  }

  @Override
  public long deleteDevice(TenantId tenant, String deviceId) {
    caughtUp();
    return engine.deleteDevice(tenant, deviceId);
  }

  @Override
  public ExportedFile exportParquet(TenantId tenant, Optional<String> deviceId, Instant from, Instant to,
      Path directory) {
    caughtUp();
    return engine.exportParquet(tenant, deviceId, from, to, directory);
  }

  @Override
  public void compact() {
    engine.compact();
  }

  @Override
  public long diskBytes() {
    return engine.diskBytes() + journal.diskBytes();
  }

  /** Points journaled and acknowledged but not yet in the engine. */
  public long backlogPoints() {
    lock.lock();
    try {
      return backlogWeight;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isReady() {
    return !closing && applier.isAlive() && engine.isReady();
  }

  /** Stores the backlog (or leaves it in the journal when the engine fails), then closes the journal and engine. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closing = true;
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      applier.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closed = true;
    journal.release(applied);
    journal.close();
    engine.close();
  }
}
