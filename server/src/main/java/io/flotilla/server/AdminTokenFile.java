package io.flotilla.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes the generated admin token to {@code <data>/admin.token}, readable by its owner only. */
final class AdminTokenFile {
  static final String NAME = "admin.token";

  private AdminTokenFile() {}

  static Path write(Path dataDir, String secret) {
    Path file = dataDir.resolve(NAME);
    try {
      Files.deleteIfExists(file);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        // Created with owner-only permissions, so the secret is never readable by others, not even briefly.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
      Files.writeString(file, secret + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.WRITE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the admin token to " + file, e);
    }
  }
}
