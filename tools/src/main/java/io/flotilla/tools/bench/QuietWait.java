package io.flotilla.tools.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Waits before a measure until the rest of the machine (everything but the broker and this
 * process) uses less than {@link CpuUse#NOISY_CORES} for a second: a build or a test beside the
 * benchmark would otherwise take cores from the broker and the generator.
 */
final class QuietWait {
  private QuietWait() {}

  /** Waits at most {@code limit} (zero: not at all), saying once on {@code progress} that it waits. */
  static void await(long brokerPid, Duration limit, PrintWriter progress) {
    if (limit.isZero()) {
      return;
    }
    long deadline = System.nanoTime() + limit.toNanos();
    boolean told = false;
    while (true) {
      CpuUse.Sample from = CpuUse.sample(brokerPid);
      sleep(Duration.ofSeconds(1));
      CpuUse cpu = CpuUse.between(from, CpuUse.sample(brokerPid));
      if (!cpu.noisy() || System.nanoTime() - deadline > 0) {
        return;
      }
      if (!told) {
        progress.printf(Locale.ROOT, "waiting up to %d s for other processes to leave the CPU (they use %.2f cores)%n",
            limit.toSeconds(), cpu.others().orElse(0));
        progress.flush();
        told = true;
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
