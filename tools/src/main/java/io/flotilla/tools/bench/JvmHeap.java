package io.flotilla.tools.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of another JVM, measured the way an operator would: {@code jcmd <pid> GC.run} (a
 * full collection) and then {@code jcmd <pid> GC.heap_info}, with the jcmd of the JDK this
 * benchmark runs on. The brokers under test are started from the same JDK, so jcmd can attach.
 */
final class JvmHeap {
  private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])\\b");
  private static final long TIMEOUT_SECONDS = 60;

  private JvmHeap() {}

  /** Collects garbage in {@code pid} and returns the heap still used, in bytes; empty if jcmd failed. */
  static OptionalLong usedAfterFullGc(long pid) {
    if (jcmd(pid, "GC.run").isEmpty()) {
      return OptionalLong.empty();
    }
    return jcmd(pid, "GC.heap_info").map(JvmHeap::parseUsedBytes).orElse(OptionalLong.empty());
  }

  /**
   * Sums the {@code used} figure of each heap line of {@code GC.heap_info}: one line for G1
   * ({@code garbage-first heap}) and ZGC ({@code ZHeap}), one per generation for the Parallel
   * and Serial collectors. Heap lines are those that do not start with a space; indented lines
   * detail spaces within them, or metaspace.
   */
  static OptionalLong parseUsedBytes(String heapInfo) {
    long total = 0;
    boolean found = false;
    for (String line : heapInfo.lines().toList()) {
      if (line.isEmpty() || Character.isWhitespace(line.charAt(0))) {
        continue;
      }
      Matcher m = USED.matcher(line);
      if (m.find()) {
        total += Long.parseLong(m.group(1)) * switch (m.group(2).toUpperCase(Locale.ROOT)) {
          case "K" -> 1024L;
          case "M" -> 1024L * 1024;
          default -> 1024L * 1024 * 1024;
        };
        found = true;
      }
    }
    return found ? OptionalLong.of(total) : OptionalLong.empty();
  }

  private static Optional<String> jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return Optional.empty();
    }
    try {
      Path output = Files.createTempFile("flotilla-jcmd", ".txt");
      try {
        Process process = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
            .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          return Optional.empty();
        }
        return process.exitValue() == 0 ? Optional.of(Files.readString(output, StandardCharsets.UTF_8))
            : Optional.empty();
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
