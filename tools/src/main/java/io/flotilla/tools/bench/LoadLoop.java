package io.flotilla.tools.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Runs one operation in a closed loop from several threads: a warm-up whose operations are not
 * counted, then a measured window in which every operation's latency is recorded. An operation
 * counts when it starts inside the window.
 */
final class LoadLoop {
  private LoadLoop() {}

  /** What a loop measured: operations started in the window, the window's length, and their latencies. */
  record Result(long operations, Duration window, LatencyRecorder latencies) {
    double perSecond() {
      return operations / (window.toNanos() / 1e9);
    }
  }

  /**
   * Runs the loop and returns when every thread has finished its last operation.
   *
   * @param operations makes each thread's operation, which may keep state (a cursor) between runs
   * @throws IllegalStateException when an operation fails, with the failure as its cause
   */
  static Result run(int threads, Duration warmUp, Duration window, Supplier<Runnable> operations) {
    long measureFrom = System.nanoTime() + warmUp.toNanos();
    long measureUntil = measureFrom + window.toNanos();
    List<Future<LatencyRecorder>> workers = new ArrayList<>(threads);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int i = 0; i < threads; i++) {
        Runnable operation = operations.get();
        workers.add(pool.submit(() -> loop(operation, measureFrom, measureUntil)));
      }
      LatencyRecorder all = new LatencyRecorder();
      for (Future<LatencyRecorder> worker : workers) {
        all.add(worker.get());
      }
      return new Result(all.count(), window, all);
    } catch (ExecutionException e) {
      throw new IllegalStateException("An operation of the benchmark failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("The benchmark was interrupted", e);
    }
  }

  private static LatencyRecorder loop(Runnable operation, long measureFrom, long measureUntil) {
    LatencyRecorder latencies = new LatencyRecorder();
    while (true) {
      long start = System.nanoTime();
      if (start - measureUntil >= 0) {
        return latencies;
      }
      operation.run();
      if (start - measureFrom >= 0) {
        latencies.record(System.nanoTime() - start);
      }
    }
  }
}
