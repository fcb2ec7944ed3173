package io.flotilla.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The CPU a server under test uses while it is measured. For Flotilla on PostgreSQL that is its
 * own process and the database's processes together (every process named {@code postgres} on this
 * machine): the storing is part of the work, and left in "others" it would look like noise from
 * the rest of the machine.
 */
final class ServerCpu {
  /** The CPU times at one moment; {@code database} is empty when the database does not count. */
  record Sample(CpuUse.Sample process, OptionalLong database) {}

  private final long pid;
  private final boolean withPostgres;

  ServerCpu(long pid, boolean withPostgres) {
    this.pid = pid;
    this.withPostgres = withPostgres;
  }

  Sample sample() {
    return new Sample(CpuUse.sample(pid), withPostgres ? postgresNanos() : OptionalLong.empty());
  }

  /** The CPU between two samples, with the database's share moved from "others" into the server's. */
  CpuUse between(Sample from, Sample until) {
    CpuUse process = CpuUse.between(from.process(), until.process());
    if (from.database().isEmpty() || until.database().isEmpty() || process.broker().isEmpty()) {
      return process;
    }
    double window = until.process().nanoTime() - from.process().nanoTime();
    double database = Math.max(0, until.database().getAsLong() - from.database().getAsLong()) / window;
    return new CpuUse(OptionalDouble.of(process.broker().getAsDouble() + database), process.generator(),
        process.others().isPresent() ? OptionalDouble.of(Math.max(0, process.others().getAsDouble() - database))
            : OptionalDouble.empty());
  }

  /** CPU time of every process named {@code postgres} (the server and its backends), in nanoseconds. */
  private static OptionalLong postgresNanos() {
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      return OptionalLong.of(processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(p -> "postgres".equals(comm(p)))
          .mapToLong(p -> ProcessStats.cpuNanos(Long.parseLong(p.getFileName().toString())).orElse(0))
          .sum());
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  private static String comm(Path process) {
    try {
      return Files.readString(process.resolve("comm")).strip();
    } catch (IOException | RuntimeException gone) {
      return "";
    }
  }
}
