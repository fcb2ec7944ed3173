package io.flotilla.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Linux's {@code /proc} tells about a broker process: its resident memory, the CPU time it
 * has used, and how many files it may open. Empty where there is no {@code /proc} or the process
 * is gone.
 */
final class ProcessStats {
  /** Clock ticks per second of {@code /proc/<pid>/stat}; USER_HZ is 100 on every Linux we run on. */
  static final long TICKS_PER_SECOND = 100;

  private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+)\\s+kB");
  private static final Pattern OPEN_FILES = Pattern.compile("(?m)^Max open files\\s+(\\d+|unlimited)\\s+(\\d+|unlimited)");

  private ProcessStats() {}

  /** Resident set size (VmRSS) in bytes. */
  static OptionalLong residentBytes(long pid) {
    return read(pid, "status").map(ProcessStats::parseResidentBytes).orElse(OptionalLong.empty());
  }

  /** CPU time used so far, user and system, in nanoseconds. */
  static OptionalLong cpuNanos(long pid) {
    return read(pid, "stat").map(ProcessStats::parseCpuNanos).orElse(OptionalLong.empty());
  }

  /** The soft limit on open files (what the process may use now); {@link Long#MAX_VALUE} if unlimited. */
  static OptionalLong openFilesLimit(long pid) {
    return read(pid, "limits").map(ProcessStats::parseOpenFilesLimit).orElse(OptionalLong.empty());
  }

  static OptionalLong parseResidentBytes(String status) {
    Matcher m = VM_RSS.matcher(status);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
  }

  /** Fields 14 and 15 (utime, stime) of {@code stat}, counted after the command name, which may hold spaces. */
  static OptionalLong parseCpuNanos(String stat) {
    int end = stat.lastIndexOf(')');
    if (end < 0) {
      return OptionalLong.empty();
    }
    String[] fields = stat.substring(end + 2).trim().split("\\s+");
    if (fields.length < 13) {
      return OptionalLong.empty();
    }
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return OptionalLong.of(ticks * (1_000_000_000L / TICKS_PER_SECOND));
  }

  static OptionalLong parseOpenFilesLimit(String limits) {
    Matcher m = OPEN_FILES.matcher(limits);
    if (!m.find()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(m.group(1).equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(m.group(1)));
  }

  private static Optional<String> read(long pid, String file) {
    try {
      return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), file)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
