package io.flotilla.tools.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts a JVM broker (Flotilla, the HiveMQ peer): the JDK this benchmark
 * runs on, so that its jcmd can attach, the same heap cap for each, and the G1 collector named
 * explicitly, so that every JVM broker is measured with the same one.
 */
final class BrokerJvm {
  private BrokerJvm() {}

  static List<String> command(String maxHeap, List<String> jvmOptions, Path jar, List<String> arguments) {
    return command(maxHeap, jvmOptions, List.of("-jar", jar.toString()), arguments);
  }

  /** @param program {@code -jar <jar>}, or {@code -cp <class path> <main class>} */
  static List<String> command(String maxHeap, List<String> jvmOptions, List<String> program, List<String> arguments) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + maxHeap, "-XX:+UseG1GC"));
    command.addAll(jvmOptions);
    command.addAll(program);
    command.addAll(arguments);
    return command;
  }
}
