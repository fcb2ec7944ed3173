package io.flotilla.server;

import io.flotilla.ca.MasterKey;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.server.config.ConfigException;
import io.flotilla.server.config.ServerConfig;
import io.flotilla.server.config.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master key that seals the tenant CAs' keys: from the {@code master-key} setting
 * ({@code FLOTILLA_MASTER_KEY}), else from {@code <data>/master.key}, which the first start creates with
 * mode 600. Only the key's id is ever logged.
 */
final class MasterKeys {
  static final String FILE_NAME = "master.key";
  private static final Logger LOG = LoggerFactory.getLogger(MasterKeys.class);

  private MasterKeys() {}

  /** The key and where it came from, in words for messages. */
  record Loaded(MasterKey key, String origin) {}

  static Loaded load(ServerConfig config) {
    if (config.ca().masterKey().isPresent()) {
      // ConfigLoader checked the text already.
      return new Loaded(MasterKey.parse(config.ca().masterKey().get()), "the " + Setting.MASTER_KEY.fileKey()
          + " setting (" + Setting.MASTER_KEY.envVar() + ")");
    }
    Path file = config.dataDir().resolve(FILE_NAME);
    return new Loaded(Files.exists(file) ? read(file) : create(file), file.toString());
  }

  /**
   * Refuses to start when the registry holds CA keys sealed with another master key: the server could not
   * sign with those CAs, and would seal new ones under a key that does not match the rest.
   */
  static void requireItOpensTheRegistry(RegistryStore registry, Loaded loaded) {
    Set<String> sealing = registry.read(tx -> tx.tenantCas().masterKeyIds());
    Set<String> others = new TreeSet<>(sealing);
    others.remove(loaded.key().id());
    if (!others.isEmpty()) {
      throw new ConfigException("The registry holds tenant CA keys sealed with master key " + String.join(", ", others)
          + ", but the master key from " + loaded.origin() + " is " + loaded.key().id() + ". Start the server with "
          + "the master key those CAs were created with (" + Setting.MASTER_KEY.envVar() + " or the file "
          + FILE_NAME + " in the data folder, restored from your backup).");
    }
    LOG.info("Tenant CA keys are sealed with master key {} from {}", loaded.key().id(), loaded.origin());
  }

  private static MasterKey read(Path file) {
    try {
      MasterKey key = MasterKey.parse(Files.readString(file, StandardCharsets.US_ASCII));
      if (readableByOthers(file)) {
        LOG.warn("The master key file {} can be read by other users; restrict it with: chmod 600 {}", file, file);
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw new ConfigException("The master key file " + file + " is damaged: it " + e.getMessage()
          + ". Restore it from your backup, or set " + Setting.MASTER_KEY.envVar() + ".", e);
    } catch (IOException e) {
      throw new ConfigException("Cannot read the master key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static MasterKey create(Path file) {
    MasterKey key = MasterKey.generate();
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        // Created owner-only, so the key is never readable by others, not even briefly.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
      Files.writeString(file, key.toBase64() + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new ConfigException("Cannot create the master key file " + file + " (" + e.getMessage() + "); make the "
          + "data folder writable, or set " + Setting.MASTER_KEY.envVar(), e);
    }
    LOG.info("Created master key {} in {}; back it up with the registry: without it the tenant CAs cannot sign",
        key.id(), file);
    return key;
  }

  private static boolean readableByOthers(Path file) throws IOException {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return false;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    return permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ);
  }
}
