package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.json.Json;
import io.flotilla.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Expiry warnings for device certificates, with a clock the test moves instead of waiting a month. */
@Timeout(180)
class CertificateExpiryIT {
  @TempDir
  Path dataDir;
  @TempDir
  Path work;

  /**
   * A certificate is warned of once it is within the window (30 days by default): one certificate.expiring event,
   * not repeated by later checks nor after a restart; revoked certificates and tokens are never warned of; the
   * listing shows what expires within the days asked and when it was warned of.
   */
  @Test
  void certificateExpiringWithinTheWindowIsWarnedOfOnce() throws Exception {
    ProfileRetentionIT.ShiftedClock clock = new ProfileRetentionIT.ShiftedClock();
    ServerConfig config = TestServers.config(dataDir);
    String kept;
    String expiringAt;
    try (FlotillaServer server = FlotillaServer.start(config, clock)) {
      List<DomainEvent> events = new CopyOnWriteArrayList<>();
      server.services().events().subscribe(e -> {
        if (e.type().equals("certificate.expiring")) {
          events.add(e);
        }
      });
      ApiClient admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
      admin.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
      admin.post("/api/v1/devices", "{\"id\":\"pump-1\",\"profile\":\"pump\"}");
      admin.post("/api/v1/devices/pump-1/credentials", "{}");
      JsonNode issued = issue(admin, 60);
      kept = issued.path("id").asText();
      expiringAt = issued.path("notAfter").asText();
      String revoked = issue(admin, 60).path("id").asText();
      admin.post("/api/v1/devices/pump-1/certificates/" + revoked + "/revoke", "{}");

      assertThat(server.certificateExpiry().runOnce()).as("60 days left").isZero();
      clock.advance(Duration.ofDays(31));
      assertThat(server.certificateExpiry().runOnce()).isEqualTo(1);
      assertThat(server.certificateExpiry().runOnce()).as("once per certificate").isZero();

      assertThat(events).singleElement().satisfies(e -> {
        assertThat(e.entityId()).isEqualTo("pump-1");
        assertThat(e.data().path("id").asText()).isEqualTo(kept);
        assertThat(e.data().path("notAfter").asText()).isEqualTo(expiringAt);
        assertThat(e.data().path("daysLeft").asLong()).isBetween(27L, 29L);
      });
      JsonNode listed = admin.get("/api/v1/certificates/expiring").json();
      assertThat(listed.path("withinDays").asInt()).isEqualTo(30);
      assertThat(listed.path("items")).singleElement().satisfies(c -> {
        assertThat(c.path("id").asText()).isEqualTo(kept);
        assertThat(c.hasNonNull("warnedAt")).isTrue();
      });
      assertThat(admin.get("/api/v1/certificates/expiring?withinDays=10").json().path("items")).isEmpty();
      assertThat(admin.get("/api/v1/certificates/expiring?withinDays=0").status()).isEqualTo(400);
      assertThat(admin.get("/api/v1/certificates/expiring?withinDays=5000").status()).isEqualTo(422);
    }

    try (FlotillaServer restarted = FlotillaServer.start(config, clock)) {
      assertThat(restarted.certificateExpiry().runOnce()).as("remembered across the restart").isZero();
      ApiClient admin = new ApiClient(restarted.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
      assertThat(admin.get("/api/v1/certificates/expiring").json().path("items").findValuesAsText("id"))
          .containsExactly(kept);
    }
  }

  private JsonNode issue(ApiClient admin, int days) throws Exception {
    Path csr = work.resolve("d" + days + System.nanoTime() + ".csr");
    Openssl.csr(work.resolve(csr.getFileName() + ".key"), csr, "/CN=pump-1", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-256");
    ApiClient.Response issued = admin.post("/api/v1/devices/pump-1/certificates",
        "{\"csrPem\":" + Json.MAPPER.writeValueAsString(Files.readString(csr)) + ",\"validityDays\":" + days + "}");
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    return issued.json();
  }
}
