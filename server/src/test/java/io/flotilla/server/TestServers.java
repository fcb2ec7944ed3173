package io.flotilla.server;

import io.flotilla.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.Optional;

/** Starts real servers for tests: own data folder, any free port, a known admin token. */
final class TestServers {
  static final String ADMIN_TOKEN = "test-admin-token-0123456789";

  private TestServers() {}

  static FlotillaServer start(Path dataDir, Optional<String> dbUrl) {
    ServerConfig config = config(dataDir);
    return FlotillaServer.start(dbUrl.map(config::withDbUrl).orElse(config));
  }

  /** The test configuration ({@link ServerConfig#forTests}) with the known admin token, to adjust and start. */
  static ServerConfig config(Path dataDir) {
    return ServerConfig.forTests(dataDir).withAdminToken(ADMIN_TOKEN);
  }
}
