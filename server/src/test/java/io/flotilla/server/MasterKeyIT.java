package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.ca.MasterKey;
import io.flotilla.server.config.ConfigException;
import io.flotilla.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Where the master key comes from, and what happens when it is not the one that sealed the CAs. */
@Timeout(120)
class MasterKeyIT {
  @TempDir
  Path dataDir;

  /** The first start writes a random master key to master.key, owner-only; a restart reads it and the CA still signs. */
  @Test
  void firstStartCreatesTheKeyFileAndRestartsUseIt() throws Exception {
    String caPem;
    try (FlotillaServer server = TestServers.start(dataDir, Optional.empty())) {
      caPem = admin(server).get("/api/v1/ca/certificate").body();
    }
    Path file = dataDir.resolve("master.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    MasterKey key = MasterKey.parse(Files.readString(file));

    try (FlotillaServer server = TestServers.start(dataDir, Optional.empty())) {
      assertThat(admin(server).get("/api/v1/ca/certificate").body()).isEqualTo(caPem);
      assertThat(admin(server).get("/api/v1/ca/crl").status()).as("the CA key opens and signs").isEqualTo(200);
    }
    assertThat(MasterKey.parse(Files.readString(file)).id()).isEqualTo(key.id());
  }

  /**
   * With a CA in the registry, another master key stops the start with both key ids and the setting to fix;
   * the right key given as FLOTILLA_MASTER_KEY (the file aside) starts it.
   */
  @Test
  void masterKeyOtherThanTheOneThatSealedTheCasStopsTheStart() {
    try (FlotillaServer server = TestServers.start(dataDir, Optional.empty())) {
      admin(server).get("/api/v1/ca/certificate");
    }
    String right = readKey();
    MasterKey wrong = MasterKey.generate();
    ServerConfig config = TestServers.config(dataDir);

    assertThatThrownBy(() -> FlotillaServer.start(config.withCa(config.ca().withMasterKey(wrong.toBase64()))))
        .isInstanceOf(ConfigException.class).hasMessageContaining(MasterKey.parse(right).id())
        .hasMessageContaining(wrong.id()).hasMessageContaining("FLOTILLA_MASTER_KEY")
        .hasMessageNotContaining(wrong.toBase64()).hasMessageNotContaining(right.strip());
    try (FlotillaServer server = FlotillaServer.start(config.withCa(config.ca().withMasterKey(right)))) {
      assertThat(admin(server).get("/api/v1/ca/crl").status()).isEqualTo(200);
    }
  }

  /** A damaged key file stops the start, naming the file; nothing new is written over it. */
  @Test
  void damagedKeyFileStopsTheStart() throws Exception {
    Files.writeString(dataDir.resolve("master.key"), "not a key\n");

    assertThatThrownBy(() -> TestServers.start(dataDir, Optional.empty())).isInstanceOf(ConfigException.class)
        .hasMessageContaining(dataDir.resolve("master.key").toString()).hasMessageContaining("damaged");
    assertThat(Files.readString(dataDir.resolve("master.key"))).isEqualTo("not a key\n");
  }

  /**
   * A sealed key altered in the database (its master key id intact) cannot be opened: the calls that need it
   * answer 503 with a problem saying so, not garbage, and the server keeps serving everything else.
   */
  @Test
  void alteredSealedKeyAnswersServiceUnavailable() throws Exception {
    try (FlotillaServer server = TestServers.start(dataDir, Optional.empty())) {
      admin(server).get("/api/v1/ca/certificate");
    }
    try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("registry.db"));
        java.sql.Statement update = db.createStatement()) {
      update.executeUpdate("UPDATE tenant_cas SET key_sealed = replace(key_sealed, 'v1.', 'v1.AAAA')");
    }

    try (FlotillaServer server = TestServers.start(dataDir, Optional.empty())) {
      ApiClient.Response crl = admin(server).get("/api/v1/ca/crl");
      assertThat(crl.status()).isEqualTo(503);
      assertThat(crl.json().path("type").asText()).endsWith("/ca-key-unavailable");
      assertThat(crl.json().path("detail").asText()).contains("master key");
      assertThat(admin(server).get("/api/v1/ca/certificate").status()).isEqualTo(200);
    }
  }

  private String readKey() {
    try {
      return Files.readString(dataDir.resolve("master.key")).strip();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ApiClient admin(FlotillaServer server) {
    return new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
  }
}
