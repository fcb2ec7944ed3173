package io.flotilla.bus;

import io.flotilla.core.telemetry.RejectedTelemetry;
import io.flotilla.core.telemetry.TelemetryBatch;
import io.flotilla.core.telemetry.TelemetryBusException;
import io.flotilla.core.telemetry.TelemetryPoint;
import io.flotilla.core.telemetry.TelemetryStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition of the bus: a queue of batches and the thread that writes them. The writer takes
 * whatever has queued up (group commit), lingers briefly when that is little, writes it in one store
 * transaction and completes the batches' futures in queue order, so a device's acknowledgements keep
 * the order of its messages.
 */
final class Partition implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Partition.class);

  private final int index;
  private final TelemetryStore store;
  private final BusSettings settings;
  private final Saturation saturation;
  private final BusMetrics metrics;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int queuedPoints;
  private boolean closing;

  private record Pending(TelemetryBatch batch, CompletableFuture<Void> done, long submittedNanos) {
  }

  Partition(int index, TelemetryStore store, BusSettings settings, Saturation saturation, BusMetrics metrics) {
    this.index = index;
    this.store = store;
    this.settings = settings;
    this.saturation = saturation;
    this.metrics = metrics;
  }

  /** Queues a batch; false when this partition is closing. */
  boolean offer(TelemetryBatch batch, CompletableFuture<Void> done) {
    lock.lock();
    try {
      if (closing) {
        return false;
      }
      queue.add(new Pending(batch, done, System.nanoTime()));
      queuedPoints += batch.weight();
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  void close() {
    lock.lock();
    try {
      closing = true;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void run() {
    Thread.currentThread().setName("telemetry-writer-" + index);
    List<Pending> batch = new ArrayList<>();
    while (true) {
      try {
        if (!take(batch)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failAll(new TelemetryBusException(TelemetryBusException.Kind.CLOSED, "Telemetry bus interrupted", e));
        return;
      }
      write(batch);
      batch.clear();
    }
  }

  /** Fills {@code out} with the next group of batches; false once closed and drained. */
  private boolean take(List<Pending> out) throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty()) {
        if (closing) {
          return false;
        }
        notEmpty.await();
      }
      if (queuedPoints < settings.maxBatchPoints() && !closing && !settings.linger().isZero()) {
        // A small group: wait a moment for more to share the commit.
        long waitNanos = settings.linger().toNanos();
        while (queuedPoints < settings.maxBatchPoints() && waitNanos > 0 && !closing) {
          waitNanos = notEmpty.awaitNanos(waitNanos);
        }
      }
      int points = 0;
      while (!queue.isEmpty() && (out.isEmpty() || points + queue.peek().batch().weight() <= settings.maxBatchPoints())) {
        Pending p = queue.poll();
        points += p.batch().weight();
        out.add(p);
      }
      queuedPoints -= points;
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void write(List<Pending> group) {
    List<TelemetryPoint> points = new ArrayList<>();
    List<RejectedTelemetry> rejections = new ArrayList<>(0);
    int weight = 0;
    for (Pending p : group) {
      points.addAll(p.batch().points());
      p.batch().rejection().ifPresent(rejections::add);
      weight += p.batch().weight();
    }
    RuntimeException failure = appendWithRetries(points, rejections);
    saturation.remove(weight);
    long now = System.nanoTime();
    for (Pending p : group) {
      if (failure == null) {
        metrics.ingestLag.record(now - p.submittedNanos(), TimeUnit.NANOSECONDS);
        p.done().complete(null);
      } else {
        p.done().completeExceptionally(failure);
      }
    }
    if (failure == null) {
      metrics.batchPoints.record(points.size());
      metrics.pointsStored.increment(points.size());
      metrics.messagesStored.increment(group.size() - rejections.size());
      metrics.rejectionsStored.increment(rejections.size());
    }
  }

  /** Writes one group; retries a failing store until {@code retryFor} has passed; null on success. */
  private RuntimeException appendWithRetries(List<TelemetryPoint> points, List<RejectedTelemetry> rejections) {
    long deadline = System.nanoTime() + settings.retryFor().toNanos();
    long backoffMillis = 20;
    while (true) {
      long start = System.nanoTime();
      try {
        store.append(points, rejections);
        metrics.commitLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return null;
      } catch (RuntimeException e) {
        metrics.storeFailures.increment();
        if (System.nanoTime() + backoffMillis * 1_000_000 - deadline > 0) {
          LOG.error("Storing {} telemetry points failed; the devices are not acknowledged and will resend",
              points.size(), e);
          return new TelemetryBusException(TelemetryBusException.Kind.STORE_FAILED,
              "The telemetry store failed: " + e.getMessage(), e);
        }
        LOG.warn("Storing {} telemetry points failed, retrying in {} ms: {}", points.size(), backoffMillis,
            e.toString());
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return new TelemetryBusException(TelemetryBusException.Kind.CLOSED, "Telemetry bus interrupted", ie);
        }
        backoffMillis = Math.min(backoffMillis * 2, 1_000);
      }
    }
  }

  private void failAll(TelemetryBusException failure) {
    lock.lock();
    try {
      Pending p;
      while ((p = queue.poll()) != null) {
        saturation.remove(p.batch().weight());
        p.done().completeExceptionally(failure);
      }
      queuedPoints = 0;
    } finally {
      lock.unlock();
    }
  }
}
