package io.flotilla.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The CPU used during a measure, in cores: by the broker, by this load generator, and by
 * everything else on the machine (from {@code /proc/stat}), which should be close to nothing: a
 * build or test running beside the benchmark takes cores from both and makes its figures low.
 */
record CpuUse(OptionalDouble broker, OptionalDouble generator, OptionalDouble others) {
  /** Others above this many cores make a measure's figures doubtful. */
  static final double NOISY_CORES = 0.25;

  /** The CPU times at one moment. */
  record Sample(long nanoTime, OptionalLong broker, OptionalLong generator, OptionalLong machine) {}

  static Sample sample(long brokerPid) {
    return new Sample(System.nanoTime(), ProcessStats.cpuNanos(brokerPid),
        ProcessStats.cpuNanos(ProcessHandle.current().pid()), machineBusyNanos());
  }

  static CpuUse between(Sample from, Sample until) {
    double window = until.nanoTime() - from.nanoTime();
    OptionalDouble broker = cores(from.broker(), until.broker(), window);
    OptionalDouble generator = cores(from.generator(), until.generator(), window);
    OptionalDouble machine = cores(from.machine(), until.machine(), window);
    OptionalDouble others = broker.isPresent() && generator.isPresent() && machine.isPresent()
        ? OptionalDouble.of(Math.max(0, machine.getAsDouble() - broker.getAsDouble() - generator.getAsDouble()))
        : OptionalDouble.empty();
    return new CpuUse(broker, generator, others);
  }

  boolean noisy() {
    return others.isPresent() && others.getAsDouble() > NOISY_CORES;
  }

  /**
   * Busy time of all CPUs from the first line of {@code /proc/stat}: user, nice, system, irq,
   * softirq and steal, in nanoseconds.
   */
  static OptionalLong parseMachineBusyNanos(String stat) {
    String first = stat.lines().findFirst().orElse("");
    String[] fields = first.trim().split("\\s+");
    if (fields.length < 9 || !fields[0].equals("cpu")) {
      return OptionalLong.empty();
    }
    long ticks = 0;
    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
      ticks += Long.parseLong(fields[i]);
    }
    return OptionalLong.of(ticks * (1_000_000_000L / ProcessStats.TICKS_PER_SECOND));
  }

  private static OptionalLong machineBusyNanos() {
    try {
      return parseMachineBusyNanos(Files.readString(Path.of("/proc/stat")));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  private static OptionalDouble cores(OptionalLong from, OptionalLong until, double windowNanos) {
    if (from.isEmpty() || until.isEmpty() || windowNanos <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((until.getAsLong() - from.getAsLong()) / windowNanos);
  }
}
