package io.flotilla.tools.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's temporary folder for the brokers' configuration, data and logs: deleted when closed, and also when
 * the run is interrupted (Ctrl-C), unless the user asked to keep it, in which case closing says where it is.
 */
final class BenchWorkFolder implements AutoCloseable {
  private final Path path;
  private final boolean keep;
  private final PrintWriter progress;
  private final Thread cleanUp;

  private BenchWorkFolder(Path path, boolean keep, PrintWriter progress) {
    this.path = path;
    this.keep = keep;
    this.progress = progress;
    this.cleanUp = new Thread(() -> deleteTree(path), "flotilla-bench-cleanup");
  }

  static BenchWorkFolder create(String prefix, boolean keep, PrintWriter progress) throws IOException {
    BenchWorkFolder folder = new BenchWorkFolder(Files.createTempDirectory(prefix), keep, progress);
    if (!keep) {
      Runtime.getRuntime().addShutdownHook(folder.cleanUp);
    }
    return folder;
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    if (keep) {
      progress.println("The brokers' files are in " + path);
    } else {
      try {
        Runtime.getRuntime().removeShutdownHook(cleanUp);
      } catch (IllegalStateException shuttingDown) {
        // The hook deletes the folder.
      }
      deleteTree(path);
    }
    progress.flush();
  }

  static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // A leftover temporary folder is not worth failing the benchmark for.
    }
  }
}
