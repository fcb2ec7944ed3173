package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decommissioning and revocation as an operator meets them: devices connected with a token (Paho, MQTT 5) and
 * with a certificate from the tenant CA (openssl CSR, mosquitto over MQTTS) lose their connection within a second,
 * cannot come back, the CRL lists the certificate, and the id stays taken.
 */
@Timeout(180)
class DecommissionIT {
  private static final String[] P256 = {"ec", "-pkeyopt", "ec_paramgen_curve:P-256"};
  private static final Duration ONE_SECOND = Duration.ofSeconds(1);

  @TempDir
  Path dataDir;
  @TempDir
  Path work;
  FlotillaServer server;
  ApiClient admin;

  @BeforeEach
  void startServerWithDevices() {
    server = TestServers.start(dataDir, Optional.empty());
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    admin.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
    for (String id : List.of("pump-1", "pump-2", "pump-3")) {
      assertThat(admin.post("/api/v1/devices", "{\"id\":\"" + id + "\",\"profile\":\"pump\"}").status()).isEqualTo(201);
    }
    admin.post("/api/v1/groups", "{\"id\":\"line-a\",\"type\":\"static\"}");
    admin.post("/api/v1/groups/line-a/devices", "{\"deviceIds\":[\"pump-1\",\"pump-2\",\"pump-3\"]}");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * One call per device: both connections drop within a second, reconnects are refused (MQTT 5 0x86), the CRL
   * lists the certificate, the purged device's telemetry is gone while the other's waits for retention, both
   * left their group, the audit log says what was done, and neither id can be registered again.
   */
  @Test
  void decommissionedDevicesAreDisconnectedRefusedPurgedAndTombstoned() throws Exception {
    String token = admin.post("/api/v1/devices/pump-1/credentials", "{}").json().path("token").asText();
    Certificate cert = issueCertificate("pump-2");
    MqttClient pump1 = paho("pump-1", token);
    pump1.publish("devices/pump-1/telemetry", "{\"t\":21.5}".getBytes(StandardCharsets.UTF_8), 1, false);
    MosquittoClients.Run published = MosquittoClients.run(mqtts("mosquitto_pub", "pump-2", cert, "-t",
        "devices/pump-2/telemetry", "-m", "{\"t\":7}", "-q", "1"));
    assertThat(published.exitCode()).as(published.output()).isZero();
    MosquittoClients.Started pump2 = MosquittoClients.start(mqtts("mosquitto_sub", "pump-2", cert, "-t",
        "devices/pump-2/commands/#", "-W", "60"));
    await().atMost(Duration.ofSeconds(15)).until(() -> connected("pump-2"));
    assertThat(points("pump-1")).hasSize(1);

    ApiClient.Response first = admin.post("/api/v1/devices/pump-1/decommission", "{\"purge\":\"now\"}");
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    await().atMost(ONE_SECOND).until(() -> !pump1.isConnected());
    ApiClient.Response second = admin.post("/api/v1/devices/pump-2/decommission", "");
    assertThat(second.status()).as(second.body()).isEqualTo(200);
    await().atMost(ONE_SECOND).until(() -> !connected("pump-2"));
    MosquittoClients.finish(pump2);
    pump1.close();

    JsonNode done = first.json();
    assertThat(done.path("purge").asText()).isEqualTo("now");
    assertThat(done.path("credentialsRevoked").asInt()).isEqualTo(1);
    assertThat(done.path("certificatesRevoked").asInt()).isZero();
    assertThat(done.path("groupsLeft").asInt()).isEqualTo(1);
    assertThat(done.path("pointsPurged").asLong()).isEqualTo(1);
    assertThat(done.path("device").path("status").asText()).isEqualTo("decommissioned");
    assertThat(second.json().path("purge").asText()).as("the default").isEqualTo("retention");
    assertThat(second.json().path("certificatesRevoked").asInt()).isEqualTo(1);

    assertThat(connectFails("pump-1", token).getReasonCode()).isEqualTo(0x86);
    MosquittoClients.Run refused = MosquittoClients.run(mqtts("mosquitto_pub", "pump-2", cert, "-t",
        "devices/pump-2/telemetry", "-m", "{\"t\":1}", "-q", "1"));
    assertThat(refused.exitCode()).isNotZero();
    assertThat(crlText()).contains("Serial Number: " + cert.serial());
    assertThat(points("pump-1")).as("purged now").isEmpty();
    assertThat(points("pump-2")).as("left to the profile's retention").hasSize(1);
    assertThat(admin.get("/api/v1/groups/line-a/devices").json().path("items").findValuesAsText("id"))
        .containsExactly("pump-3");
    assertThat(admin.get("/api/v1/devices/pump-1").json().path("status").asText()).isEqualTo("decommissioned");

    JsonNode audit = admin.get("/api/v1/audit?entityType=device&entityId=pump-1").json().path("items");
    JsonNode record = audit.findParents("action").stream()
        .filter(r -> r.path("action").asText().equals("device.decommissioned")).findFirst().orElseThrow();
    assertThat(record.path("after").path("decommissioning").path("tokensRevoked").asInt()).isEqualTo(1);
    assertThat(record.path("after").path("groupsLeft").get(0).asText()).isEqualTo("line-a");
    assertThat(audit.findValuesAsText("action")).contains("telemetry.delete");

    ApiClient.Response again = admin.post("/api/v1/devices/pump-1/decommission", "{\"purge\":\"now\"}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json()).as("the same result").isEqualTo(done);

    ApiClient.Response reused = admin.post("/api/v1/devices", "{\"id\":\"pump-1\",\"profile\":\"pump\"}");
    assertThat(reused.status()).isEqualTo(409);
    assertThat(reused.json().path("detail").asText()).contains("tombstoned").contains("decommissioned at "
        + done.path("decommissionedAt").asText());
    assertThat(admin.delete("/api/v1/devices/pump-2").status()).isEqualTo(204);
    assertThat(admin.post("/api/v1/devices", "{\"id\":\"pump-2\",\"profile\":\"pump\"}").status())
        .as("deleting keeps the tombstone").isEqualTo(409);
    ApiClient.Response imported = admin.post("/api/v1/devices/bulk", "[{\"id\":\"pump-2\",\"profile\":\"pump\"}]");
    assertThat(imported.status()).isEqualTo(422);
    assertThat(imported.body()).contains("tombstoned");
  }

  /**
   * Revoking one certificate (no decommissioning) closes the connection made with it within a second, the
   * certificate no longer connects, and the CRL lists it.
   */
  @Test
  void revokedCertificateIsDisconnectedWithinOneSecond() throws Exception {
    Certificate cert = issueCertificate("pump-3");
    MosquittoClients.Started listening = MosquittoClients.start(mqtts("mosquitto_sub", "pump-3", cert, "-t",
        "devices/pump-3/commands/#", "-W", "60"));
    await().atMost(Duration.ofSeconds(15)).until(() -> connected("pump-3"));

    ApiClient.Response revoked = admin.post("/api/v1/devices/pump-3/certificates/" + cert.id() + "/revoke", "{}");
    assertThat(revoked.status()).isEqualTo(200);
    await().atMost(ONE_SECOND).until(() -> !connected("pump-3"));
    MosquittoClients.finish(listening);

    MosquittoClients.Run refused = MosquittoClients.run(mqtts("mosquitto_pub", "pump-3", cert, "-t",
        "devices/pump-3/telemetry", "-m", "{\"t\":1}", "-q", "1"));
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output().toLowerCase()).contains("bad user name or password");
    assertThat(crlText()).contains("Serial Number: " + cert.serial());
  }

  /**
   * Deleting a device that was never decommissioned tombstones its id too; operators cannot release it, a tenant
   * admin can with forgetId=true, and then the id is free. Viewers cannot decommission.
   */
  @Test
  void deletedIdsStayTakenUntilATenantAdminReleasesThem() {
    ApiClient operator = admin.as(admin.post("/api/v1/tokens", "{\"name\":\"o\",\"role\":\"operator\"}").json()
        .path("token").asText());
    ApiClient viewer = admin.as(admin.post("/api/v1/tokens", "{\"name\":\"v\",\"role\":\"viewer\"}").json()
        .path("token").asText());
    assertThat(viewer.post("/api/v1/devices/pump-1/decommission", "{}").status()).isEqualTo(403);
    assertThat(operator.post("/api/v1/devices/pump-1/decommission", "{\"purge\":\"soon\"}").status()).isEqualTo(422);
    assertThat(operator.post("/api/v1/devices/pump-1/decommission", "{}").status()).isEqualTo(200);

    assertThat(operator.delete("/api/v1/devices/pump-3").status()).isEqualTo(204);
    ApiClient.Response reused = operator.post("/api/v1/devices", "{\"id\":\"pump-3\",\"profile\":\"pump\"}");
    assertThat(reused.status()).isEqualTo(409);
    assertThat(reused.json().path("detail").asText()).contains("was deleted at").contains("forgetId=true");
    assertThat(operator.delete("/api/v1/devices/pump-3?forgetId=true").status()).isEqualTo(403);
    assertThat(admin.delete("/api/v1/devices/pump-3?forgetId=true").status()).isEqualTo(204);
    assertThat(operator.post("/api/v1/devices", "{\"id\":\"pump-3\",\"profile\":\"pump\"}").status()).isEqualTo(201);
    assertThat(admin.delete("/api/v1/devices/pump-9?forgetId=true").status()).isEqualTo(404);
    assertThat(admin.get("/api/v1/audit?entityType=device&entityId=pump-3").json().path("items")
        .findValuesAsText("action")).contains("device.id-released");
  }

  private record Certificate(String id, String serial, Path cert, Path key) {}

  private Certificate issueCertificate(String device) throws Exception {
    Path key = work.resolve(device + ".key");
    Path csr = work.resolve(device + ".csr");
    Openssl.csr(key, csr, "/CN=" + device, P256);
    ApiClient.Response issued = admin.post("/api/v1/devices/" + device + "/certificates",
        "{\"csrPem\":" + Json.MAPPER.writeValueAsString(Files.readString(csr)) + "}");
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    Path cert = Files.writeString(work.resolve(device + ".pem"), issued.json().path("certificatePem").asText());
    return new Certificate(issued.json().path("id").asText(), issued.json().path("serial").asText(), cert, key);
  }

  private String[] mqtts(String tool, String clientId, Certificate cert, String... more) throws Exception {
    Path serverCa = work.resolve("server-ca.pem");
    if (!Files.exists(serverCa)) {
      Files.writeString(serverCa, admin.get("/api/v1/server/ca.pem").body());
    }
    List<String> args = new ArrayList<>(MosquittoClients.args(tool, server.mqttsPort(), "mqttv5", clientId, null,
        null));
    args.addAll(List.of("--cafile", serverCa.toString(), "--cert", cert.cert().toString(), "--key",
        cert.key().toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private boolean connected(String clientId) {
    return server.gateway().broker().sessions("default").stream()
        .anyMatch(s -> s.clientId().equals(clientId) && s.connected());
  }

  /** The device's raw points of the last and next hour. */
  private JsonNode points(String device) {
    java.time.Instant now = java.time.Instant.now();
    return admin.get("/api/v1/devices/" + device + "/telemetry?from=" + now.minus(Duration.ofHours(1)) + "&to="
        + now.plus(Duration.ofHours(1))).json().path("items");
  }

  private String crlText() throws Exception {
    Path crl = Files.writeString(work.resolve("crl.pem"), admin.get("/api/v1/ca/crl?format=pem").body());
    return Openssl.run("crl", "-in", crl.toString(), "-noout", "-text").output();
  }

  private MqttClient paho(String clientId, String token) throws MqttException {
    return PahoV5.connect(server.mqttPort(), clientId, clientId, token);
  }

  private MqttException connectFails(String clientId, String token) throws MqttException {
    return PahoV5.connectFails(server.mqttPort(), clientId, clientId, token);
  }
}
