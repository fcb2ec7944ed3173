package io.flotilla.tools.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the benchmark finds the programs it starts in a Flotilla build: the root of the source
 * tree (the folder with {@code mvnw} and {@code cli/}), found upwards from this code's own jar or
 * class folder ({@code cli/target/lib/…} under the launcher, {@code tools/target/classes} in tests),
 * or else from the working folder.
 */
final class ProjectFiles {
  private ProjectFiles() {}

  static Optional<Path> root() {
    return Stream.of(codeLocation(), Optional.of(Path.of("").toAbsolutePath()))
        .flatMap(Optional::stream)
        .map(ProjectFiles::rootAbove)
        .flatMap(Optional::stream)
        .findFirst();
  }

  /** {@code cli/target/flotilla.jar}, which the launcher builds. */
  static Path flotillaJar(Path root) {
    return root.resolve("cli/target/flotilla.jar");
  }

  /** {@code bench-peers/target/hivemq-peer.jar}, with its libraries beside it. */
  static Path hiveMqPeerJar(Path root) {
    return root.resolve("bench-peers/target/hivemq-peer.jar");
  }

  static Optional<Path> rootAbove(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("cli"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> codeLocation() {
    try {
      var source = ProjectFiles.class.getProtectionDomain().getCodeSource();
      return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()));
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
