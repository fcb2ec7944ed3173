package io.flotilla.tools.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.jar.JarFile;

/**
 * What a JVM runs to be Flotilla's {@code flotilla} program: its jar, as an operator runs it, or a
 * class path and a main class taking the same arguments, so that tests run the server built in the
 * same reactor rather than a jar left by an earlier build.
 *
 * @param javaArguments what follows the JVM options: {@code -jar <jar>} or {@code -cp <path> <class>}
 * @param version the version the results show
 */
record FlotillaProgram(List<String> javaArguments, String version) {
  FlotillaProgram {
    javaArguments = List.copyOf(javaArguments);
    Objects.requireNonNull(version, "version");
  }

  /** {@code java -jar <jar>}, with the version in the jar's manifest, as the build wrote it. */
  static FlotillaProgram jar(Path jar) {
    return new FlotillaProgram(List.of("-jar", jar.toString()), manifestVersion(jar));
  }

  /** {@code java -cp <classPath> <mainClass>}. */
  static FlotillaProgram classPath(String classPath, String mainClass) {
    return new FlotillaProgram(List.of("-cp", classPath, mainClass), "(class path)");
  }

  private static String manifestVersion(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      String version = file.getManifest() == null ? null
          : file.getManifest().getMainAttributes().getValue("Implementation-Version");
      return version == null ? "unknown version" : version;
    } catch (IOException e) {
      return "unknown version";
    }
  }

  @Override
  public String toString() {
    return "FlotillaProgram" + javaArguments.subList(0, Math.min(2, javaArguments.size()));
  }
}
