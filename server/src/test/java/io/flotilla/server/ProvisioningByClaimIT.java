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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provisioning by claim certificate, the way a new user meets it, with openssl and the mosquitto clients only: an
 * enrollment group, a claim certificate issued for the factory's CSR, a device that asks for its own certificate on
 * {@code $provisioning/register} (mosquitto_rr, MQTT 5 request/response) and then publishes telemetry with it over
 * TLS; and the same door as an attacker sees it.
 */
@Timeout(180)
class ProvisioningByClaimIT {
  private static final String[] P256 = {"ec", "-pkeyopt", "ec_paramgen_curve:P-256"};

  @TempDir
  Path dataDir;
  @TempDir
  Path work;
  FlotillaServer server;
  ApiClient admin;
  String groupId;
  Path serverCa;

  @BeforeEach
  void startServerWithAnEnrollmentGroup() throws Exception {
    server = TestServers.start(dataDir, Optional.empty());
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    admin.post("/api/v1/device-profiles", "{\"id\":\"meter\"}");
    admin.post("/api/v1/groups", "{\"id\":\"batch-7\",\"name\":\"Batch 7\",\"type\":\"static\"}");
    ApiClient.Response group = admin.post("/api/v1/enrollment-groups", "{\"name\":\"batch 7\","
        + "\"attestation\":\"claimCertificate\",\"deviceIdPrefix\":\"meter-\",\"template\":{\"profile\":\"meter\","
        + "\"groups\":[\"batch-7\"],\"tags\":{\"batch\":\"7\"}}}");
    assertThat(group.status()).as(group.body()).isEqualTo(201);
    groupId = group.json().path("id").asText();
    assertThat(group.json().has("symmetricKey")).isFalse();
    serverCa = Files.writeString(work.resolve("server-ca.pem"), admin.get("/api/v1/server/ca.pem").body());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * The factory's claim key gets a claim certificate; a device connects with it, sends its CSR with mosquitto_rr and
   * gets a certificate for CN=meter-0001 from the tenant CA; it then publishes telemetry over MQTTS with that
   * certificate, and the device carries the template's profile, tags and group. The same request sent again
   * (a replay) registers nothing: it is refused as device-exists.
   */
  @Test
  void deviceProvisionsItsOwnCertificateByClaimAndPublishesTelemetry() throws Exception {
    List<String> claim = claimCertificate(admin, groupId, "claim");
    Openssl.csr(work.resolve("meter-0001.key"), work.resolve("meter-0001.csr"), "/CN=whatever", P256);
    String request = "{\"requestId\":\"r1\",\"deviceId\":\"meter-0001\",\"csrPem\":"
        + Json.MAPPER.writeValueAsString(Files.readString(work.resolve("meter-0001.csr"))) + "}";

    JsonNode answer = request(claim, "factory-7", request);

    assertThat(answer.path("requestId").asText()).isEqualTo("r1");
    assertThat(answer.path("deviceId").asText()).isEqualTo("meter-0001");
    assertThat(answer.path("status").asText()).isEqualTo("active");
    Path cert = Files.writeString(work.resolve("meter-0001.pem"), answer.path("certificatePem").asText());
    Path tenantCa = Files.writeString(work.resolve("tenant-ca.pem"), answer.path("caCertificatePem").asText());
    assertThat(Openssl.run("verify", "-CAfile", tenantCa.toString(), cert.toString()).output()).contains(": OK");
    assertThat(Openssl.run("x509", "-in", cert.toString(), "-noout", "-subject").output())
        .contains("subject=CN = meter-0001");

    List<String> device = List.of("--cafile", serverCa.toString(), "--cert", cert.toString(), "--key",
        work.resolve("meter-0001.key").toString());
    MosquittoClients.Run published = MosquittoClients.run(mqtts("mosquitto_pub", device, "meter-0001", "-t",
        "devices/meter-0001/telemetry", "-m", "{\"kwh\":12.5}", "-q", "1"));
    assertThat(published.exitCode()).as(published.output()).isZero();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(admin.get("/api/v1/devices/meter-0001/telemetry/latest").body()).contains("kwh"));
    JsonNode registered = admin.get("/api/v1/devices/meter-0001").json();
    assertThat(registered.path("profile").asText()).isEqualTo("meter");
    assertThat(registered.path("tags").path("batch").asText()).isEqualTo("7");
    assertThat(admin.get("/api/v1/groups/batch-7/devices").body()).contains("meter-0001");
    assertThat(admin.get("/api/v1/audit?entityType=device&entityId=meter-0001").body())
        .contains("enrollment-group:" + groupId);

    Openssl.csr(work.resolve("meter-0009.key"), work.resolve("meter-0009.csr"), "/CN=meter-0009", P256);
    Curl.Run overHttps = Curl.run("--cacert", serverCa.toString(), "--cert", claim.get(3), "--key", claim.get(5),
        "-H", "Content-Type: application/json", "--data-binary", "{\"requestId\":\"h1\",\"deviceId\":\"meter-0009\","
            + "\"csrPem\":" + Json.MAPPER.writeValueAsString(Files.readString(work.resolve("meter-0009.csr"))) + "}",
        "https://localhost:" + server.httpsPort() + "/device/v1/provisioning/register");
    assertThat(overHttps.status()).as(overHttps.body()).isEqualTo(201);
    assertThat(Json.MAPPER.readTree(overHttps.body()).path("certificatePem").asText()).contains("BEGIN CERTIFICATE");

    JsonNode replayed = request(claim, "factory-7", request);
    assertThat(replayed.path("code").asText()).isEqualTo("device-exists");
    JsonNode otherClient = request(claim, "factory-8", request);
    assertThat(otherClient.path("code").asText()).isEqualTo("device-exists");
    assertThat(admin.get("/api/v1/devices/meter-0001/certificates").json().path("items")).hasSize(1);
  }

  /**
   * A claim certificate may provision and nothing else: it cannot publish telemetry for any device, read device
   * topics or another claimer's answers, and its ids must fit the group's prefix. A certificate that merely copies
   * the claim's subject, or a claim of another tenant's group, provisions nothing here.
   */
  @Test
  void aClaimCertificateCanDoNothingButProvisionItsOwnTenantsDevices() throws Exception {
    List<String> claim = claimCertificate(admin, groupId, "claim");
    Openssl.csr(work.resolve("meter-0002.key"), work.resolve("meter-0002.csr"), "/CN=meter-0002", P256);
    String csr = Json.MAPPER.writeValueAsString(Files.readString(work.resolve("meter-0002.csr")));
    request(claim, "factory-7", "{\"requestId\":\"r1\",\"deviceId\":\"meter-0002\",\"csrPem\":" + csr + "}");

    MosquittoClients.Started spy = MosquittoClients.start(mqtts("mosquitto_sub", claim, "spy", "-t",
        "devices/meter-0002/#", "-t", "$provisioning/responses/factory-7/#", "-W", "5", "-v"));
    MosquittoClients.Run telemetry = MosquittoClients.run(mqtts("mosquitto_pub", claim, "factory-7", "-t",
        "devices/meter-0002/telemetry", "-m", "{\"kwh\":1}", "-q", "1"));
    assertThat(telemetry.output()).containsIgnoringCase("not authorized");
    MosquittoClients.Run spied = MosquittoClients.finish(spy);
    assertThat(spied.output()).containsIgnoringCase("denied").doesNotContain("kwh");
    assertThat(admin.get("/api/v1/devices/meter-0002/telemetry/latest").json().path("items")).isEmpty();

    JsonNode outside = request(claim, "factory-7", "{\"requestId\":\"r2\",\"deviceId\":\"pump-1\",\"csrPem\":" + csr
        + "}");
    assertThat(outside.path("code").asText()).isEqualTo("device-id-not-allowed");
    assertThat(outside.path("message").asText()).contains("meter-");
    assertThat(admin.get("/api/v1/devices/pump-1").status()).isEqualTo(404);

    Openssl.selfSigned(work.resolve("fake.key"), work.resolve("fake.pem"), "claim " + groupId);
    MosquittoClients.Run forged = MosquittoClients.run(mqtts("mosquitto_pub", List.of("--cafile", serverCa.toString(),
        "--cert", work.resolve("fake.pem").toString(), "--key", work.resolve("fake.key").toString()), "factory-9",
        "-t", "$provisioning/register", "-m", "{}", "-q", "1"));
    assertThat(forged.exitCode()).isNotZero();
    assertThat(forged.output().toLowerCase()).contains("bad user name or password");

    ApiClient acme = admin.as(admin.post("/api/v1/tenants", "{\"id\":\"acme\"}").json().path("adminToken")
        .path("token").asText());
    acme.post("/api/v1/device-profiles", "{\"id\":\"meter\"}");
    String acmeGroup = acme.post("/api/v1/enrollment-groups", "{\"name\":\"acme\",\"attestation\":"
        + "\"claimCertificate\",\"template\":{\"profile\":\"meter\"}}").json().path("id").asText();
    List<String> acmeClaim = claimCertificate(acme, acmeGroup, "acme-claim");
    Openssl.csr(work.resolve("meter-0003.key"), work.resolve("meter-0003.csr"), "/CN=meter-0003", P256);
    JsonNode acmeAnswer = request(acmeClaim, "acme-factory", "{\"requestId\":\"a1\",\"deviceId\":\"meter-0003\","
        + "\"csrPem\":" + Json.MAPPER.writeValueAsString(Files.readString(work.resolve("meter-0003.csr"))) + "}");
    assertThat(acmeAnswer.path("deviceId").asText()).isEqualTo("meter-0003");
    assertThat(admin.get("/api/v1/devices/meter-0003").status()).as("not in the default tenant").isEqualTo(404);
    assertThat(acme.get("/api/v1/devices/meter-0003").status()).isEqualTo(200);
    assertThat(admin.get("/api/v1/enrollment-groups/" + acmeGroup).status()).isEqualTo(404);

    Path acmeDevice = Files.writeString(work.resolve("meter-0003.pem"), acmeAnswer.path("certificatePem").asText());
    MosquittoClients.Run deviceAsClaim = MosquittoClients.run(mqtts("mosquitto_rr", List.of("--cafile",
        serverCa.toString(), "--cert", acmeDevice.toString(), "--key", work.resolve("meter-0003.key").toString()),
        "meter-0003", "-t", "$provisioning/register", "-e", "$provisioning/responses/meter-0003/x", "-m",
        "{\"requestId\":\"x\",\"deviceId\":\"meter-0010\"}", "-W", "5"));
    assertThat(deviceAsClaim.output()).as("a device certificate is no claim").containsIgnoringCase("not authorized")
        .doesNotContain("certificatePem").doesNotContain("token");
    assertThat(admin.get("/api/v1/devices/meter-0010").status()).isEqualTo(404);
    assertThat(acme.get("/api/v1/devices/meter-0010").status()).isEqualTo(404);
  }

  /**
   * Groups are tenant admins' business: operators and viewers read them but cannot create, change or add claims;
   * a symmetric-key group takes no claim certificate; a bad body is refused with every field path and changes nothing.
   */
  @Test
  void onlyTenantAdminsManageEnrollmentGroupsAndBadInputChangesNothing() throws Exception {
    ApiClient operator = admin.as(admin.post("/api/v1/tokens", "{\"name\":\"o\",\"role\":\"operator\"}").json()
        .path("token").asText());
    String body = "{\"name\":\"x\",\"attestation\":\"claimCertificate\",\"template\":{\"profile\":\"meter\"}}";
    assertThat(operator.post("/api/v1/enrollment-groups", body).status()).isEqualTo(403);
    assertThat(operator.patch("/api/v1/enrollment-groups/" + groupId, "{\"status\":\"inactive\"}", null).status())
        .isEqualTo(403);
    Openssl.csr(work.resolve("o.key"), work.resolve("o.csr"), "/CN=o", P256);
    assertThat(operator.post("/api/v1/enrollment-groups/" + groupId + "/claim-certificates", "{\"csrPem\":"
        + Json.MAPPER.writeValueAsString(Files.readString(work.resolve("o.csr"))) + "}").status()).isEqualTo(403);
    assertThat(operator.get("/api/v1/enrollment-groups/" + groupId).status()).isEqualTo(200);

    ApiClient.Response bad = admin.post("/api/v1/enrollment-groups", "{\"name\":\"x\",\"attestation\":\"psk\","
        + "\"requestsPerMinute\":0,\"template\":{\"profile\":\"nope\"},\"extra\":1}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.body()).contains("attestation").contains("requestsPerMinute").contains("extra");
    String keyed = admin.post("/api/v1/enrollment-groups", "{\"name\":\"k\",\"attestation\":\"symmetricKey\","
        + "\"template\":{\"profile\":\"meter\"}}").json().path("id").asText();
    assertThat(admin.post("/api/v1/enrollment-groups/" + keyed + "/claim-certificates", "{\"csrPem\":"
        + Json.MAPPER.writeValueAsString(Files.readString(work.resolve("o.csr"))) + "}").status()).isEqualTo(409);
    assertThat(admin.get("/api/v1/enrollment-groups").json().path("items")).hasSize(2);
  }

  /** Issues a claim certificate for a new key; the TLS arguments of mosquitto clients that present it. */
  private List<String> claimCertificate(ApiClient api, String group, String name) throws Exception {
    Path key = work.resolve(name + ".key");
    Openssl.csr(key, work.resolve(name + ".csr"), "/CN=" + name, P256);
    ApiClient.Response issued = api.post("/api/v1/enrollment-groups/" + group + "/claim-certificates",
        "{\"csrPem\":" + Json.MAPPER.writeValueAsString(Files.readString(work.resolve(name + ".csr"))) + "}");
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    assertThat(issued.json().path("source").asText()).isEqualTo("issued");
    Path cert = Files.writeString(work.resolve(name + ".pem"), issued.json().path("certificatePem").asText());
    return List.of("--cafile", serverCa.toString(), "--cert", cert.toString(), "--key", key.toString());
  }

  /** Sends a provisioning request with mosquitto_rr and returns the answer it printed. */
  private JsonNode request(List<String> claim, String clientId, String body) throws Exception {
    MosquittoClients.Run run = MosquittoClients.run(mqtts("mosquitto_rr", claim, clientId, "-t",
        "$provisioning/register", "-e", "$provisioning/responses/" + clientId + "/answer", "-m", body, "-W", "15"));
    assertThat(run.exitCode()).as(run.output()).isZero();
    return Json.MAPPER.readTree(run.output().getBytes(StandardCharsets.UTF_8));
  }

  private String[] mqtts(String tool, List<String> tls, String clientId, String... more) {
    List<String> args = new ArrayList<>(MosquittoClients.args(tool, server.mqttsPort(), "mqttv5", clientId, null,
        null));
    args.addAll(tls);
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }
}
