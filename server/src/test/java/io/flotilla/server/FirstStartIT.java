package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FirstStartIT {
  @TempDir
  Path dataDir;

  /** Without a configured token the first start generates one, shows it once and keeps it in an owner-only file. */
  @Test
  void firstStartGeneratesAnAdminTokenReadableOnlyByItsOwner() throws IOException {
    String token;
    try (FlotillaServer server = FlotillaServer.start(ServerConfig.forTests(dataDir))) {
      token = server.generatedAdminToken().orElseThrow();
      Path file = server.adminTokenFile();
      assertThat(Files.readString(file).trim()).isEqualTo(token);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      ApiClient admin = new ApiClient(server.httpPort(), Optional.of(token));
      assertThat(admin.get("/api/v1/whoami").json().path("role").asText()).isEqualTo("system_admin");
    }
    try (FlotillaServer again = FlotillaServer.start(ServerConfig.forTests(dataDir))) {
      assertThat(again.generatedAdminToken()).isEmpty();
      assertThat(new ApiClient(again.httpPort(), Optional.of(token)).get("/api/v1/tenants").status()).isEqualTo(200);
    }
  }

  /** A configured token is used as given and never written to disk. */
  @Test
  void configuredAdminTokenIsUsedAndNotWritten() {
    try (FlotillaServer server = TestServers.start(dataDir, Optional.empty())) {
      assertThat(server.generatedAdminToken()).isEmpty();
      assertThat(dataDir.resolve("admin.token")).doesNotExist();
      ApiClient admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
      assertThat(admin.get("/api/v1/tenants").json().path("items").get(0).path("id").asText()).isEqualTo("default");
    }
  }

  /** A taken port is a one-line error naming the setting that moves it. */
  @Test
  void portInUseNamesTheSettingToChange() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      ServerConfig clash = ServerConfig.forTests(dataDir).withPorts(taken.getLocalPort(), 0, 0);
      assertThatThrownBy(() -> FlotillaServer.start(clash)).isInstanceOf(PortInUseException.class)
          .hasMessageContaining("HTTP port " + taken.getLocalPort())
          .hasMessageContaining("FLOTILLA_HTTP_PORT")
          .hasMessageContaining("--http-port")
          .hasMessageNotContaining("\n");
    }
  }

  /** The HTTPS listener's taken port is told apart from the HTTP one's, though Javalin reports both alike. */
  @Test
  void takenHttpsPortNamesItsOwnSetting() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      ServerConfig clash = ServerConfig.forTests(dataDir).withHttpsPort(taken.getLocalPort());
      assertThatThrownBy(() -> FlotillaServer.start(clash)).isInstanceOf(PortInUseException.class)
          .hasMessageContaining("HTTPS port " + taken.getLocalPort())
          .hasMessageContaining("FLOTILLA_HTTPS_PORT");
    }
  }
}
