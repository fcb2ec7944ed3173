package io.flotilla.tools.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Callers that each repeat one blocking operation as soon as the previous one returned (a closed loop), on virtual
 * threads, for a warm-up and then a measured window; an operation counts and is timed when it ends inside the
 * window. A failed operation is counted, not timed; more than 1 % failures fail the run.
 */
final class ClosedLoop {
  private ClosedLoop() {
  }

  /** One blocking operation; {@code n} numbers the calls of all callers together. Throws when it fails. */
  @FunctionalInterface
  interface Operation {
    void call(int n) throws Exception;
  }

  /** What the measured window saw. */
  record Result(int completed, int failed, Duration window, LatencyRecorder latencies, Optional<String> firstFailure) {
    double perSecond() {
      return completed / (window.toNanos() / 1e9);
    }
  }

  static Result run(int callers, Duration warmUp, Duration measured, Operation operation) {
    long from = System.nanoTime() + warmUp.toNanos();
    long until = from + measured.toNanos();
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    List<LatencyRecorder> recorders = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      LatencyRecorder recorder = new LatencyRecorder();
      recorders.add(recorder);
      threads.add(Thread.ofVirtual().name("bench-caller-" + c).start(() -> {
        while (System.nanoTime() - until < 0) {
          long start = System.nanoTime();
          try {
            operation.call(calls.getAndIncrement());
            long end = System.nanoTime();
            if (end - from >= 0 && end - until < 0) {
              recorder.record(end - start);
              completed.incrementAndGet();
            }
          } catch (Exception e) {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, String.valueOf(e.getMessage()));
          }
        }
      }));
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    LatencyRecorder all = new LatencyRecorder();
    recorders.forEach(all::add);
    if (failed.get() > Math.max(10, (completed.get() + failed.get()) / 100)) {
      throw new IllegalStateException(failed.get() + " of " + (completed.get() + failed.get()) + " operations failed;"
          + " first failure: " + firstFailure.get());
    }
    return new Result(completed.get(), failed.get(), measured, all, Optional.ofNullable(firstFailure.get()));
  }
}
