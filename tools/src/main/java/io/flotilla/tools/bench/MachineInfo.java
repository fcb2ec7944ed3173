package io.flotilla.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a benchmark ran on, so that its figures can be compared: processors available to the JVM
 * (what {@code nproc} counts), total memory and CPU model from {@code /proc} where there is one,
 * and the Java runtime.
 */
record MachineInfo(int processors, Optional<Long> memoryBytes, Optional<String> cpuModel, String java) {
  private static final Pattern MEM_TOTAL = Pattern.compile("(?m)^MemTotal:\\s+(\\d+)\\s+kB");
  private static final Pattern MODEL_NAME = Pattern.compile("(?m)^model name\\s*:\\s*(.+?)\\s*$");

  static MachineInfo current() {
    String java = "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor", "unknown vendor") + ")";
    return parse(Runtime.getRuntime().availableProcessors(), readOrEmpty("/proc/meminfo"),
        readOrEmpty("/proc/cpuinfo"), java);
  }

  /** Reads the memory and CPU model from the text of {@code /proc/meminfo} and {@code /proc/cpuinfo}. */
  static MachineInfo parse(int processors, String meminfo, String cpuinfo, String java) {
    Matcher memory = MEM_TOTAL.matcher(meminfo);
    Matcher model = MODEL_NAME.matcher(cpuinfo);
    return new MachineInfo(processors,
        memory.find() ? Optional.of(Long.parseLong(memory.group(1)) * 1024) : Optional.empty(),
        model.find() ? Optional.of(model.group(1)) : Optional.empty(), java);
  }

  /** One line, such as {@code 2 CPUs (AMD EPYC 7B13), 23.5 GiB RAM, Java 25+36-LTS (Eclipse Adoptium)}. */
  String describe() {
    return processors + (processors == 1 ? " CPU" : " CPUs") + cpuModel.map(m -> " (" + m + ")").orElse("")
        + ", " + memoryBytes.map(b -> String.format(Locale.ROOT, "%.1f GiB", b / (1024.0 * 1024 * 1024)))
            .orElse("unknown") + " RAM, " + java;
  }

  private static String readOrEmpty(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
