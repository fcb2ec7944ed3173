package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.json.Json;
import io.flotilla.core.twin.TwinLimits;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The twin limits are the server's settings ({@code twin.max-section-bytes}, {@code twin.max-depth}): a server
 * configured with 256 bytes and depth 3 refuses, from operators and devices alike, what the defaults would take.
 */
@Timeout(60)
class TwinLimitsIT {
  @TempDir
  Path dataDir;
  FlotillaServer server;
  ApiClient admin;
  ApiClient device;

  @BeforeEach
  void startSmallServer() {
    server = FlotillaServer.start(TestServers.config(dataDir).withTwin(new TwinLimits(256, 3, 1000)));
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    assertThat(admin.post("/api/v1/device-profiles", "{\"id\":\"pump\"}").status()).isEqualTo(201);
    assertThat(admin.post("/api/v1/devices", "{\"id\":\"p-1\",\"profile\":\"pump\"}").status()).isEqualTo(201);
    String token = admin.post("/api/v1/devices/p-1/credentials", "{}").json().path("token").asText();
    device = admin.asDevice("p-1", token);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Depth 3 and 256 bytes pass; depth 4 and 257+ bytes get 413 naming the configured limit; nothing changes. */
  @Test
  void aSmallerConfiguredLimitIsEnforcedOnDesiredAndReported() {
    ApiClient.Response fits = admin.patch("/api/v1/devices/p-1/twin",
        "{\"desired\":{\"a\":{\"b\":{\"c\":1}}}}", null);
    assertThat(fits.status()).as(fits.toString()).isEqualTo(200);

    ApiClient.Response tooDeep = admin.patch("/api/v1/devices/p-1/twin",
        "{\"desired\":{\"a\":{\"b\":{\"c\":{\"d\":1}}}}}", null);
    assertThat(tooDeep.status()).as(tooDeep.toString()).isEqualTo(413);
    assertThat(tooDeep.json().path("type").asText()).endsWith("/too-deep");
    assertThat(tooDeep.json().path("detail").asText()).contains("limit of 3");

    String justFits = "x".repeat(256 - "{\"a\":{\"b\":{\"c\":1}},\"s\":\"\"}".length());
    assertThat(admin.patch("/api/v1/devices/p-1/twin", "{\"desired\":{\"s\":\"" + justFits + "\"}}", null).status())
        .isEqualTo(200);
    ApiClient.Response tooLarge = admin.patch("/api/v1/devices/p-1/twin",
        "{\"desired\":{\"s\":\"" + justFits + "x\"}}", null);
    assertThat(tooLarge.status()).as(tooLarge.toString()).isEqualTo(413);
    assertThat(tooLarge.json().path("type").asText()).endsWith("/too-large");
    assertThat(tooLarge.json().path("detail").asText()).contains("256");

    ApiClient.Response reportTooLarge = device.patch("/device/v1/twin",
        "{\"reported\":{\"log\":\"" + "y".repeat(300) + "\"}}", null);
    assertThat(reportTooLarge.status()).as(reportTooLarge.toString()).isEqualTo(413);
    assertThat(device.patch("/device/v1/twin", "{\"reported\":{\"log\":\"short\"}}", null).status()).isEqualTo(200);

    JsonNode twin = admin.get("/api/v1/devices/p-1/twin").json();
    assertThat(twin.path("version").asLong()).isEqualTo(3);
    assertThat(twin.path("desired").path("s").asText()).isEqualTo(justFits);
    assertThat(twin.path("desired").path("a")).isEqualTo(Json.readTrusted("{\"b\":{\"c\":1}}"));
    assertThat(twin.path("reported")).isEqualTo(Json.readTrusted("{\"log\":\"short\"}"));
  }
}
