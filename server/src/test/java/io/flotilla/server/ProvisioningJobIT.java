package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk provisioning jobs against the real server: a manifest of hundreds of devices with CSRs made in the test
 * (and one by openssl), its progress, its report, a restart in the middle, cancellation, CSV with bare public keys,
 * and a manifest with bad rows refused whole.
 */
@Timeout(300)
class ProvisioningJobIT {
  private static final String[] P256 = {"ec", "-pkeyopt", "ec_paramgen_curve:P-256"};
  private static final String JOBS = "/api/v1/provisioning/jobs";

  @TempDir
  Path dataDir;
  @TempDir
  Path work;
  FlotillaServer server;
  ApiClient admin;
  Optional<String> dbUrl;

  /** The registry database: SQLite in the data folder here; PostgreSQL in {@link PostgresProvisioningJobIT}. */
  Optional<String> dbUrl() {
    return Optional.empty();
  }

  @BeforeEach
  void start() {
    dbUrl = dbUrl();
    server = TestServers.start(dataDir, dbUrl);
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    admin.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * 500 devices, one with an openssl CSR: two chunks are worked, the server stops, and the restarted server
   * finishes the job. Every row is provisioned once, the report pages and exports as CSV, and the openssl device
   * connects over MQTTS with its certificate from the report.
   */
  @Test
  void manifestIsProvisionedInChunksAndResumesAfterARestart() throws Exception {
    server.provisioningJobs().pause();
    Openssl.csr(work.resolve("odd.key"), work.resolve("odd.csr"), "/CN=whatever", P256);
    ArrayNode devices = Json.MAPPER.createArrayNode();
    for (int i = 1; i <= 500; i++) {
      ObjectNode row = devices.addObject().put("id", i == 250 ? "pump-openssl" : String.format("pump-%04d", i))
          .put("profile", "pump");
      row.putObject("tags").put("batch", "b7");
      row.put("csrPem", i == 250 ? Files.readString(work.resolve("odd.csr")) : csr("pump-" + i));
    }
    ApiClient.Response submitted = admin.post(JOBS, "{\"validityDays\":90,\"devices\":" + devices + "}");
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
    String id = submitted.json().path("id").asText();
    assertThat(submitted.json().path("state").asText()).isEqualTo("queued");
    assertThat(submitted.json().path("total").asInt()).isEqualTo(500);

    assertThat(server.provisioningJobs().step()).isTrue();
    assertThat(server.provisioningJobs().step()).isTrue();
    JsonNode halfway = admin.get(JOBS + "/" + id).json();
    assertThat(halfway.path("state").asText()).isEqualTo("running");
    assertThat(halfway.path("provisioned").asInt()).isEqualTo(200);
    assertThat(halfway.path("pending").asInt()).isEqualTo(300);
    assertThat(admin.get("/api/v1/devices/pump-0200").status()).isEqualTo(200);
    assertThat(admin.get("/api/v1/devices/pump-0201").status()).isEqualTo(404);

    server.close();
    server = TestServers.start(dataDir, dbUrl);
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .until(() -> admin.get(JOBS + "/" + id).json().path("state").asText().equals("completed"));

    JsonNode done = admin.get(JOBS + "/" + id).json();
    assertThat(done.path("provisioned").asInt()).isEqualTo(500);
    assertThat(done.path("failed").asInt()).isZero();
    assertThat(done.path("pending").asInt()).isZero();
    assertThat(done.has("finishedAt")).isTrue();

    List<JsonNode> rows = new ArrayList<>();
    String page = JOBS + "/" + id + "/report?limit=200";
    for (JsonNode body = admin.get(page).json(); ; ) {
      body.path("items").forEach(rows::add);
      if (!body.has("next")) {
        break;
      }
      body = admin.get(page + "&after=" + body.path("next").asInt()).json();
    }
    assertThat(rows).hasSize(500);
    assertThat(rows).extracting(r -> r.path("row").asInt()).doesNotHaveDuplicates().startsWith(1, 2, 3)
        .endsWith(500);
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.path("status").asText()).isEqualTo("provisioned");
      assertThat(r.path("certificatePem").asText()).startsWith("-----BEGIN CERTIFICATE-----");
    });
    JsonNode odd = rows.get(249);
    assertThat(odd.path("deviceId").asText()).isEqualTo("pump-openssl");
    Path cert = Files.writeString(work.resolve("odd.pem"), odd.path("certificatePem").asText());
    Path tenantCa = Files.writeString(work.resolve("tenant-ca.pem"), admin.get("/api/v1/ca/certificate").body());
    assertThat(Openssl.run("verify", "-CAfile", tenantCa.toString(), cert.toString()).output()).contains(": OK");
    assertThat(Openssl.run("x509", "-in", cert.toString(), "-noout", "-subject").output())
        .contains("CN = pump-openssl");
    JsonNode certificates = admin.get("/api/v1/devices/pump-openssl/certificates").json().path("items");
    assertThat(certificates).singleElement().satisfies(c -> assertThat(c.path("id").asText())
        .isEqualTo(odd.path("certificateId").asText()));
    assertThat(admin.get("/api/v1/devices/pump-0007").json().path("tags").path("batch").asText()).isEqualTo("b7");

    ApiClient.Response csv = admin.get(JOBS + "/" + id + "/report?format=csv");
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.body()).startsWith("row,deviceId,status,certificateId,error,certificatePem\r\n")
        .contains("250,pump-openssl,provisioned," + odd.path("certificateId").asText());

    Path serverCa = Files.writeString(work.resolve("server-ca.pem"), admin.get("/api/v1/server/ca.pem").body());
    MosquittoClients.Run connected = MosquittoClients.run("mosquitto_pub", "-h", "127.0.0.1", "-p",
        Integer.toString(server.mqttsPort()), "-V", "mqttv5", "-i", "pump-openssl", "--cafile", serverCa.toString(),
        "--cert", cert.toString(), "--key", work.resolve("odd.key").toString(), "-t", "devices/pump-openssl/telemetry",
        "-m", "{\"t\":1}", "-q", "1");
    assertThat(connected.exitCode()).as(connected.output()).isZero();

    JsonNode audit = admin.get("/api/v1/audit?limit=1000").json().path("items");
    assertThat(audit.findValuesAsText("action")).contains("provisioning.submit")
        .filteredOn("device.provision"::equals).hasSize(500);
  }

  /**
   * A manifest with bad rows is refused whole, each bad row named with its number and field: a damaged CSR, an id
   * that appears twice, a row without a key, an unknown profile. No job and no device is stored.
   */
  @Test
  void badRowsAreReportedWithTheirNumbersAndNothingIsStored() throws Exception {
    admin.post("/api/v1/devices", "{\"id\":\"taken\",\"profile\":\"pump\"}");
    ArrayNode devices = Json.MAPPER.createArrayNode();
    devices.addObject().put("id", "ok-1").put("profile", "pump").put("csrPem", csr("ok-1"));
    devices.addObject().put("id", "bad-csr").put("profile", "pump").put("csrPem",
        "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n");
    devices.addObject().put("id", "ok-1").put("profile", "pump").put("csrPem", csr("ok-1b"));
    devices.addObject().put("id", "no-key").put("profile", "pump");
    devices.addObject().put("id", "taken").put("profile", "pump").put("csrPem", csr("taken"));
    devices.addObject().put("id", "lost").put("profile", "valve").put("csrPem", csr("lost"));

    ApiClient.Response refused = admin.post(JOBS, devices.toString());
    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    JsonNode rows = refused.json().path("rows");
    assertThat(rows.findValuesAsText("row")).containsExactly("2", "3", "4", "5", "6");
    assertThat(rows.get(0).path("field").asText()).isEqualTo("csrPem");
    assertThat(rows.get(1).path("message").asText()).contains("appears twice").contains("row 1");
    assertThat(rows.get(2).path("field").asText()).isEqualTo("csrPem");
    assertThat(rows.get(2).path("message").asText()).contains("publicKeyPem");
    assertThat(rows.get(3).path("message").asText()).contains("exists already");
    assertThat(rows.get(4).path("field").asText()).isEqualTo("profile");

    ArrayNode tooMany = Json.MAPPER.createArrayNode();
    for (int i = 0; i <= 10_000; i++) {
      tooMany.addObject().put("id", "d-" + i);
    }
    ApiClient.Response refusedWhole = admin.post(JOBS, tooMany.toString());
    assertThat(refusedWhole.status()).isEqualTo(422);
    assertThat(refusedWhole.json().path("detail").asText()).contains("10001").contains("at most 10000");

    assertThat(admin.get(JOBS).json().path("items")).isEmpty();
    assertThat(admin.get("/api/v1/devices/ok-1").status()).isEqualTo(404);
    ApiClient viewer = admin.as(admin.post("/api/v1/tokens", "{\"name\":\"v\",\"role\":\"viewer\"}").json()
        .path("token").asText());
    assertThat(viewer.post(JOBS, "[{\"id\":\"v-1\",\"profile\":\"pump\",\"csrPem\":"
        + Json.MAPPER.writeValueAsString(csr("v-1")) + "}]").status()).isEqualTo(403);
  }

  /**
   * A CSV manifest with bare public keys made by openssl (no proof of possession: the manifest vouches for them) is
   * provisioned, and the device connects with its private key and the certificate from the report.
   */
  @Test
  void csvManifestWithPublicKeysIsProvisioned() throws Exception {
    StringBuilder csv = new StringBuilder("id,profile,tag:site,publicKeyPem\n");
    for (String device : List.of("valve-a", "valve-b")) {
      Openssl.csr(work.resolve(device + ".key"), work.resolve(device + ".csr"), "/CN=" + device, P256);
      Openssl.Run pub = Openssl.run("pkey", "-in", work.resolve(device + ".key").toString(), "-pubout");
      assertThat(pub.exitCode()).isZero();
      csv.append(device).append(",pump,north,\"").append(pub.output()).append("\"\n");
    }
    ApiClient.Response submitted = admin.postCsv(JOBS + "?validityDays=30", csv.toString());
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
    String id = submitted.json().path("id").asText();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> admin.get(JOBS + "/" + id).json().path("state").asText().equals("completed"));

    JsonNode rows = admin.get(JOBS + "/" + id + "/report").json().path("items");
    assertThat(rows.findValuesAsText("status")).containsExactly("provisioned", "provisioned");
    Path cert = Files.writeString(work.resolve("valve-b.pem"), rows.get(1).path("certificatePem").asText());
    Openssl.Run dates = Openssl.run("x509", "-in", cert.toString(), "-noout", "-subject", "-checkend",
        Long.toString(Duration.ofDays(29).toSeconds()));
    assertThat(dates.output()).contains("CN = valve-b").contains("will not expire");
    assertThat(Openssl.run("x509", "-in", cert.toString(), "-noout", "-checkend",
        Long.toString(Duration.ofDays(31).toSeconds())).output()).contains("will expire");
    Path serverCa = Files.writeString(work.resolve("server-ca.pem"), admin.get("/api/v1/server/ca.pem").body());
    MosquittoClients.Run connected = MosquittoClients.run("mosquitto_pub", "-h", "127.0.0.1", "-p",
        Integer.toString(server.mqttsPort()), "-V", "mqttv5", "-i", "valve-b", "--cafile", serverCa.toString(),
        "--cert", cert.toString(), "--key", work.resolve("valve-b.key").toString(), "-t", "devices/valve-b/telemetry",
        "-m", "{\"t\":1}", "-q", "1");
    assertThat(connected.exitCode()).as(connected.output()).isZero();
    assertThat(admin.get("/api/v1/devices/valve-a").json().path("tags").path("site").asText()).isEqualTo("north");
  }

  /** Cancelling a running job leaves the devices provisioned so far and provisions no more. */
  @Test
  void cancelledJobProvisionsNoMore() throws Exception {
    server.provisioningJobs().pause();
    ArrayNode devices = Json.MAPPER.createArrayNode();
    for (int i = 1; i <= 150; i++) {
      devices.addObject().put("id", "c-" + i).put("profile", "pump").put("csrPem", csr("c-" + i));
    }
    String id = admin.post(JOBS, devices.toString()).json().path("id").asText();
    assertThat(server.provisioningJobs().step()).isTrue();

    ApiClient.Response cancelled = admin.post(JOBS + "/" + id + "/cancel", "{}");
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().path("state").asText()).isEqualTo("cancelled");
    assertThat(cancelled.json().path("provisioned").asInt()).isEqualTo(100);
    assertThat(cancelled.json().path("cancelled").asInt()).isEqualTo(50);
    assertThat(server.provisioningJobs().step()).as("no unfinished job is left").isFalse();
    server.provisioningJobs().resume();

    assertThat(admin.get("/api/v1/devices/c-100").status()).isEqualTo(200);
    assertThat(admin.get("/api/v1/devices/c-101").status()).isEqualTo(404);
    JsonNode tail = admin.get(JOBS + "/" + id + "/report?after=100").json().path("items");
    assertThat(tail).hasSize(50).allSatisfy(r -> assertThat(r.path("status").asText()).isEqualTo("cancelled"));
    assertThat(admin.post(JOBS + "/" + id + "/cancel", "{}").json().path("cancelled").asInt()).isEqualTo(50);
  }

  /** A CSR made in the JVM with Bouncy Castle, as a device maker's tooling would. */
  private static String csr(String cn) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    var request = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + cn), keys.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(request);
    }
    return pem.toString();
  }
}
