package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTPS as devices and operators use it with curl: the server certificate verifies against the
 * built-in CA, a device posts telemetry with its openssl-made client certificate instead of a token, and
 * unknown or revoked certificates are refused with the reason.
 */
@Timeout(120)
class HttpsDeviceIT {
  @TempDir
  Path dataDir;
  FlotillaServer server;
  ApiClient admin;
  Path ca;
  Path key;
  Path cert;

  @BeforeEach
  void startServerWithACertifiedDevice() throws Exception {
    server = FlotillaServer.start(TestServers.config(dataDir));
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    admin.post("/api/v1/device-profiles", "{\"id\":\"thermo\"}");
    admin.post("/api/v1/devices", "{\"id\":\"t-1\",\"profile\":\"thermo\"}");
    ca = dataDir.resolve("server-ca.pem");
    Files.writeString(ca, admin.get("/api/v1/server/ca.pem").body());
    key = dataDir.resolve("t-1.key");
    cert = dataDir.resolve("t-1.pem");
    Openssl.selfSigned(key, cert, "t-1");
    ApiClient.Response registered = admin.post("/api/v1/devices/t-1/credentials",
        "{\"type\":\"x509\",\"certificatePem\":" + Json.MAPPER.writeValueAsString(Files.readString(cert)) + "}");
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String url(String path) {
    return "https://127.0.0.1:" + server.httpsPort() + path;
  }

  private Curl.Run postWithCertificate(Path certificate, Path privateKey, String body) throws Exception {
    return Curl.run("--cacert", ca.toString(), "--cert", certificate.toString(), "--key", privateKey.toString(),
        "-H", "Content-Type: application/json", "-d", body, url("/device/v1/telemetry"));
  }

  /** curl with the device's certificate: 200 with the point count, and the point reads back. */
  @Test
  void deviceCertificatePostsTelemetry() throws Exception {
    Curl.Run posted = postWithCertificate(cert, key, "{\"temperature\":21.5,\"door.open\":false}");

    assertThat(posted.exitCode()).as(posted.body()).isZero();
    assertThat(posted.status()).as(posted.body()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(posted.body()).path("points").asInt()).isEqualTo(2);
    JsonNode latest = admin.get("/api/v1/devices/t-1/telemetry/latest").json().path("items");
    assertThat(latest).hasSize(2);
    assertThat(latest.findValuesAsText("key")).containsExactlyInAnyOrder("temperature", "door.open");
  }

  /** A certificate no device has, or a revoked one, gets 401 naming why, and nothing is stored. */
  @Test
  void unknownAndRevokedCertificatesAreRefused() throws Exception {
    Path strangerKey = dataDir.resolve("stranger.key");
    Path strangerCert = dataDir.resolve("stranger.pem");
    Openssl.selfSigned(strangerKey, strangerCert, "t-1");
    Path headers = dataDir.resolve("headers.txt");
    Curl.Run stranger = Curl.run("--cacert", ca.toString(), "--cert", strangerCert.toString(), "--key",
        strangerKey.toString(), "-D", headers.toString(), "-H", "Content-Type: application/json", "-d",
        "{\"temperature\":20}", url("/device/v1/telemetry"));
    assertThat(stranger.status()).as(stranger.body()).isEqualTo(401);
    assertThat(stranger.body()).contains("bad credentials");
    assertThat(Files.readString(headers).toLowerCase()).contains("www-authenticate: basic");

    String credential = admin.get("/api/v1/devices/t-1/credentials").json().path("items").get(0).path("id").asText();
    assertThat(admin.delete("/api/v1/devices/t-1/credentials/" + credential).status()).isEqualTo(204);
    Curl.Run revoked = postWithCertificate(cert, key, "{\"temperature\":20}");
    assertThat(revoked.status()).as(revoked.body()).isEqualTo(401);
    assertThat(revoked.body()).contains("credential revoked");

    assertThat(admin.get("/api/v1/devices/t-1/telemetry").json().path("items")).isEmpty();
  }

  /** The same port serves people and tokens: bearer API calls and HTTP Basic device posts without a certificate. */
  @Test
  void bearerAndBasicWorkOverHttpsWithoutACertificate() throws Exception {
    Curl.Run devices = Curl.run("--cacert", ca.toString(), "-H", "Authorization: Bearer " + TestServers.ADMIN_TOKEN,
        url("/api/v1/devices"));
    assertThat(devices.status()).as(devices.body()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(devices.body()).path("items").get(0).path("id").asText()).isEqualTo("t-1");

    String token = admin.post("/api/v1/devices/t-1/credentials", "{}").json().path("token").asText();
    Curl.Run basic = Curl.run("--cacert", ca.toString(), "-u", "t-1:" + token, "-H", "Content-Type: application/json",
        "-d", "{\"temperature\":19}", url("/device/v1/telemetry"));
    assertThat(basic.status()).as(basic.body()).isEqualTo(200);

    Path strangerKey = dataDir.resolve("other.key");
    Path strangerCert = dataDir.resolve("other.pem");
    Openssl.selfSigned(strangerKey, strangerCert, "t-1");
    Curl.Run certificateAndBasic = Curl.run("--cacert", ca.toString(), "--cert", strangerCert.toString(), "--key",
        strangerKey.toString(), "-u", "t-1:" + token, "-H", "Content-Type: application/json", "-d",
        "{\"temperature\":18}", url("/device/v1/telemetry"));
    assertThat(certificateAndBasic.status()).as("an unregistered certificate falls back to Basic: "
        + certificateAndBasic.body()).isEqualTo(200);

    Curl.Run noCredentials = Curl.run("--cacert", ca.toString(), "-d", "{\"temperature\":19}",
        url("/device/v1/telemetry"));
    assertThat(noCredentials.status()).isEqualTo(401);
  }
}
