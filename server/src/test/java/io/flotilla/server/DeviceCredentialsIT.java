package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.device.Certificates;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.service.DeviceAuthentication;
import io.flotilla.core.service.DeviceAuthentication.Refusal;
import io.flotilla.core.service.DeviceAuthentication.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Device tokens and registered certificates, issued over REST and checked as the gateway checks them. */
@Timeout(60)
class DeviceCredentialsIT {
  @TempDir
  Path dataDir;
  FlotillaServer server;
  ApiClient api;
  DeviceAuthentication authentication;

  @BeforeEach
  void start() {
    server = TestServers.start(dataDir, Optional.empty());
    api = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    authentication = server.services().deviceAuthentication();
    api.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
    api.post("/api/v1/devices", "{\"id\":\"pump-1\",\"profile\":\"pump\"}");
    api.post("/api/v1/devices", "{\"id\":\"pump-2\",\"profile\":\"pump\"}");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The secret is returned once, never listed again, and proves only the device it was issued to. */
  @Test
  void deviceTokenIsShownOnceAndProvesOnlyItsDevice() {
    ApiClient.Response issued = api.post("/api/v1/devices/pump-1/credentials", "{\"type\":\"token\"}");
    assertThat(issued.status()).isEqualTo(201);
    String secret = issued.json().path("token").asText();
    assertThat(secret).startsWith("fdt_").hasSizeGreaterThan(40);

    JsonNode listed = api.get("/api/v1/devices/pump-1/credentials").json().path("items");
    assertThat(listed).hasSize(1);
    assertThat(listed.toString()).doesNotContain(secret).doesNotContain("secret");

    assertThat(authentication.byToken("pump-1", secret)).isInstanceOf(Result.Accepted.class);
    assertThat(refusal(authentication.byToken("pump-2", secret))).isEqualTo(Refusal.WRONG_DEVICE);
    assertThat(refusal(authentication.byToken("pump-1", secret + "x"))).isEqualTo(Refusal.BAD_CREDENTIALS);
  }

  /** Revoking a token, or suspending its device, refuses the next connection and is announced as an event. */
  @Test
  void revokedTokensAndSuspendedDevicesAreRefused() throws Exception {
    List<DomainEvent> events = new CopyOnWriteArrayList<>();
    server.services().events().subscribe(events::add);
    JsonNode first = api.post("/api/v1/devices/pump-1/credentials", "{}").json();
    String secret = first.path("token").asText();
    api.patch("/api/v1/devices/pump-1", "{\"status\":\"suspended\"}", null);
    assertThat(refusal(authentication.byToken("pump-1", secret))).isEqualTo(Refusal.DEVICE_SUSPENDED);
    api.patch("/api/v1/devices/pump-1", "{\"status\":\"active\"}", null);
    assertThat(authentication.byToken("pump-1", secret)).isInstanceOf(Result.Accepted.class);

    assertThat(api.delete("/api/v1/devices/pump-1/credentials/" + first.path("id").asText()).status()).isEqualTo(204);
    assertThat(refusal(authentication.byToken("pump-1", secret))).isEqualTo(Refusal.CREDENTIAL_REVOKED);
    assertThat(api.get("/api/v1/devices/pump-1/credentials").json().path("items").get(0).path("status").asText())
        .isEqualTo("revoked");
    assertThat(events).extracting(e -> e.type() + ":" + e.data().path("to").asText(""))
        .containsExactly("device.status-changed:suspended", "device.status-changed:active", "credential.revoked:");
    assertThat(events).allMatch(e -> e.entityId().equals("pump-1") && e.tenant().value().equals("default"));
  }

  /** A certificate made with openssl is registered by its PEM and recognized by its fingerprint, once. */
  @Test
  void certificateMadeWithOpensslIsRegisteredAndMatchedByFingerprint() throws Exception {
    String pem = opensslCertificate("pump-1");
    ApiClient.Response registered = api.post("/api/v1/devices/pump-1/credentials",
        "{\"type\":\"x509\",\"certificatePem\":" + io.flotilla.core.json.Json.MAPPER.writeValueAsString(pem) + "}");
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    String fingerprint = Certificates.fingerprint(Certificates.parsePem("pem", pem));
    assertThat(registered.json().path("fingerprint").asText()).isEqualTo(fingerprint);
    assertThat(registered.json().has("token")).isFalse();
    assertThat(authentication.byCertificateFingerprint(fingerprint)).isInstanceOf(Result.Accepted.class);

    ApiClient.Response again = api.post("/api/v1/devices/pump-2/credentials",
        "{\"type\":\"x509\",\"certificatePem\":" + io.flotilla.core.json.Json.MAPPER.writeValueAsString(pem) + "}");
    assertThat(again.status()).isEqualTo(409);
  }

  @Test
  void badCredentialRequestsAreRefusedClearly() {
    ApiClient.Response notPem = api.post("/api/v1/devices/pump-1/credentials",
        "{\"type\":\"x509\",\"certificatePem\":\"hello\"}");
    assertThat(notPem.status()).isEqualTo(422);
    assertThat(notPem.json().path("errors").get(0).path("field").asText()).isEqualTo("certificatePem");
    assertThat(api.post("/api/v1/devices/pump-1/credentials", "{\"type\":\"password\"}").status()).isEqualTo(422);
    assertThat(api.post("/api/v1/devices/nope/credentials", "{}").status()).isEqualTo(404);
    api.patch("/api/v1/devices/pump-2", "{\"status\":\"decommissioned\"}", null);
    assertThat(api.post("/api/v1/devices/pump-2/credentials", "{}").status()).isEqualTo(409);
  }

  private String opensslCertificate(String cn) throws Exception {
    Path key = dataDir.resolve(cn + ".key");
    Path cert = dataDir.resolve(cn + ".pem");
    Openssl.selfSigned(key, cert, cn);
    return Files.readString(cert);
  }

  private static Refusal refusal(Result result) {
    assertThat(result).isInstanceOf(Result.Refused.class);
    return ((Result.Refused) result).refusal();
  }

}
