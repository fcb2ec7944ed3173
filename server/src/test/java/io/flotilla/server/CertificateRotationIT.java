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
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate rotation and revocation as a new user meets them, with openssl and the mosquitto clients only: the
 * device asks for a new certificate over MQTT with a new CSR, keeps working with the old one until it first uses
 * the new one, and an operator's revocation drops its live connection at once.
 */
@Timeout(180)
class CertificateRotationIT {
  private static final String[] P256 = {"ec", "-pkeyopt", "ec_paramgen_curve:P-256"};
  private static final String ROTATE = "devices/pump-1/certificates/rotate";

  @TempDir
  Path dataDir;
  @TempDir
  Path work;
  FlotillaServer server;
  ApiClient admin;
  Path serverCa;

  @BeforeEach
  void startServerWithADevice() throws Exception {
    server = TestServers.start(dataDir, Optional.empty());
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    admin.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
    admin.post("/api/v1/devices", "{\"id\":\"pump-1\",\"profile\":\"pump\"}");
    serverCa = Files.writeString(work.resolve("server-ca.pem"), admin.get("/api/v1/server/ca.pem").body());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * The device rotates with a new openssl CSR; the old certificate still connects until the new one is used, then
   * it is refused. An operator revokes the new certificate while mosquitto_sub is connected with it: the connection
   * drops within a second, the next connect fails, and the CRL lists both serials.
   */
  @Test
  void deviceRotatesItsCertificateAndARevokedOneIsCutOffAtOnce() throws Exception {
    JsonNode first = issue("old");
    List<String> oldTls = tls("old");

    Openssl.csr(work.resolve("new.key"), work.resolve("new.csr"), "/CN=pump-1", P256);
    JsonNode answer = request(oldTls, "{\"csrPem\":" + Json.MAPPER.writeValueAsString(
        Files.readString(work.resolve("new.csr"))) + ",\"clientToken\":\"t1\"}");
    assertThat(answer.path("clientToken").asText()).as(answer.toString()).isEqualTo("t1");
    assertThat(answer.has("code")).as(answer.toString()).isFalse();
    Files.writeString(work.resolve("new.pem"), answer.path("certificatePem").asText());
    Path tenantCa = Files.writeString(work.resolve("tenant-ca.pem"), answer.path("caCertificatePem").asText());
    assertThat(Openssl.run("verify", "-CAfile", tenantCa.toString(), work.resolve("new.pem").toString()).output())
        .contains(": OK");
    String second = answer.path("certificateId").asText();

    JsonNode listed = admin.get("/api/v1/devices/pump-1/certificates").json().path("items");
    assertThat(listed).hasSize(2);
    assertThat(listed.get(1).path("id").asText()).isEqualTo(second);
    assertThat(listed.get(1).path("replaces").asText()).isEqualTo(first.path("id").asText());
    assertThat(listed.get(1).path("status").asText()).isEqualTo("pending");
    assertThat(listed.get(0).path("status").asText()).isEqualTo("active");

    assertThat(publish(oldTls).exitCode()).as("the old certificate works until the new one is used").isZero();
    MosquittoClients.Run withNew = publish(tls("new"));
    assertThat(withNew.exitCode()).as(withNew.output()).isZero();
    MosquittoClients.Run withOld = publish(oldTls);
    assertThat(withOld.exitCode()).isNotZero();
    assertThat(withOld.output().toLowerCase()).contains("bad user name or password");
    listed = admin.get("/api/v1/devices/pump-1/certificates").json().path("items");
    assertThat(listed.get(0).path("status").asText()).isEqualTo("revoked");
    assertThat(listed.get(1).path("status").asText()).isEqualTo("active");
    assertThat(listed.get(1).has("firstUsedAt")).isTrue();

    MosquittoClients.Started listening = MosquittoClients.start(mqtts("mosquitto_sub", tls("new"), "-t",
        "devices/pump-1/commands/#", "-W", "60"));
    await().atMost(Duration.ofSeconds(15)).until(() -> server.gateway().broker().sessions("default").stream()
        .anyMatch(s -> s.clientId().equals("pump-1") && s.connected()));
    ApiClient.Response revoked = admin.post("/api/v1/devices/pump-1/certificates/" + second + "/revoke", "{}");
    long revokedAt = System.nanoTime();
    assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
    assertThat(listening.process().waitFor(1, TimeUnit.SECONDS)).as("mosquitto_sub disconnected within a second")
        .isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(1));
    MosquittoClients.Run again = publish(tls("new"));
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.output().toLowerCase()).contains("bad user name or password");

    Path crl = Files.writeString(work.resolve("crl.pem"), admin.get("/api/v1/ca/crl?format=pem").body());
    assertThat(Openssl.run("crl", "-in", crl.toString(), "-CAfile", tenantCa.toString(), "-noout", "-text").output())
        .contains("verify OK").contains("Serial Number: " + first.path("serial").asText())
        .contains("Serial Number: " + listed.get(1).path("serial").asText());
    JsonNode audit = admin.get("/api/v1/audit?limit=100").json().path("items");
    assertThat(audit.findValuesAsText("action")).contains("certificate.rotate", "certificate.rotated");
  }

  /**
   * A second request before the new certificate is used supersedes the first (one pending rotation per device); a
   * broken CSR and a malformed request are rejected saying why and change nothing.
   */
  @Test
  void oneRotationIsPendingAtATimeAndBadRequestsAreRejected() throws Exception {
    issue("old");
    List<String> oldTls = tls("old");
    Openssl.csr(work.resolve("a.key"), work.resolve("a.csr"), "/CN=pump-1", P256);
    String csr = Json.MAPPER.writeValueAsString(Files.readString(work.resolve("a.csr")));

    JsonNode a = request(oldTls, "{\"csrPem\":" + csr + ",\"clientToken\":\"first\"}");
    JsonNode b = request(oldTls, "{\"csrPem\":" + csr + ",\"clientToken\":\"again\"}");
    assertThat(b.path("certificateId").asText()).isNotEqualTo(a.path("certificateId").asText());
    JsonNode listed = admin.get("/api/v1/devices/pump-1/certificates").json().path("items");
    assertThat(listed.findValuesAsText("status")).containsExactly("active", "revoked", "pending");

    JsonNode broken = request(oldTls, "{\"csrPem\":\"-----BEGIN CERTIFICATE REQUEST-----\\nAAAA\\n"
        + "-----END CERTIFICATE REQUEST-----\\n\",\"clientToken\":\"t2\"}");
    assertThat(broken.path("code").asText()).isEqualTo("INVALID_CSR");
    assertThat(broken.path("message").asText()).contains("csrPem");
    assertThat(broken.path("clientToken").asText()).isEqualTo("t2");
    JsonNode malformed = request(oldTls, "{\"csr\":1,\"clientToken\":\"m1\"}");
    assertThat(malformed.path("code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(malformed.path("message").asText()).contains("csrPem").contains("is required");
    assertThat(admin.get("/api/v1/devices/pump-1/certificates").json().path("items")).hasSize(3);
  }

  /**
   * Revoking a certificate closes only the connection made with it: an operator who revokes an unused rotation
   * certificate leaves the device connected with its old one; revoking the old one then drops it.
   */
  @Test
  void revokingAnUnusedRotationCertificateLeavesTheLiveConnection() throws Exception {
    JsonNode old = issue("old");
    Openssl.csr(work.resolve("new.key"), work.resolve("new.csr"), "/CN=pump-1", P256);
    JsonNode answer = request(tls("old"), "{\"csrPem\":" + Json.MAPPER.writeValueAsString(
        Files.readString(work.resolve("new.csr"))) + ",\"clientToken\":\"r\"}");
    MosquittoClients.Started listening = MosquittoClients.start(mqtts("mosquitto_sub", tls("old"), "-t",
        "devices/pump-1/commands/#", "-W", "60"));
    await().atMost(Duration.ofSeconds(15)).until(() -> server.gateway().broker().sessions("default").stream()
        .anyMatch(s -> s.clientId().equals("pump-1") && s.connected()));

    ApiClient.Response unused = admin.post("/api/v1/devices/pump-1/certificates/"
        + answer.path("certificateId").asText() + "/revoke", "{}");
    assertThat(unused.status()).as(unused.body()).isEqualTo(200);
    assertThat(listening.process().waitFor(1500, TimeUnit.MILLISECONDS)).as("still connected").isFalse();

    admin.post("/api/v1/devices/pump-1/certificates/" + old.path("id").asText() + "/revoke", "{}");
    assertThat(listening.process().waitFor(1, TimeUnit.SECONDS)).as("dropped with its own certificate").isTrue();
  }

  /**
   * A device connected with a token may not rotate: MQTT 5 gets PUBACK 0x87 and the reason on the rejected topic
   * (retained, so it is read after reconnecting); no certificate is issued.
   */
  @Test
  void aDeviceConnectedWithATokenIsRefused() throws Exception {
    String token = admin.post("/api/v1/devices/pump-1/credentials", "{}").json().path("token").asText();
    MqttAsyncClient device = new MqttAsyncClient("tcp://127.0.0.1:" + server.mqttPort(), "pump-1",
        new MemoryPersistence());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName("pump-1");
    options.setPassword(token.getBytes(StandardCharsets.UTF_8));
    options.setAutomaticReconnect(false);
    device.connect(options).waitForCompletion(10_000);
    try {
      Openssl.csr(work.resolve("t.key"), work.resolve("t.csr"), "/CN=pump-1", P256);
      MqttMessage request = new MqttMessage(("{\"csrPem\":" + Json.MAPPER.writeValueAsString(
          Files.readString(work.resolve("t.csr"))) + ",\"clientToken\":\"tk\"}").getBytes(StandardCharsets.UTF_8));
      request.setQos(1);
      IMqttToken delivery = device.publish(ROTATE, request);
      delivery.waitForCompletion(10_000);
      assertThat(delivery.getReasonCodes()).containsExactly(0x87);
    } finally {
      device.disconnect().waitForCompletion(5_000);
      device.close();
    }
    List<String> sub = MosquittoClients.args("mosquitto_sub", server.mqttPort(), "mqttv5", "pump-1", "pump-1", token);
    sub.addAll(List.of("-t", ROTATE + "/rejected", "-C", "1", "-W", "5"));
    JsonNode rejected = Json.MAPPER.readTree(MosquittoClients.run(sub.toArray(String[]::new)).output());
    assertThat(rejected.path("code").asText()).isEqualTo("NOT_ALLOWED");
    assertThat(rejected.path("message").asText()).contains("token");
    assertThat(rejected.path("clientToken").asText()).isEqualTo("tk");
    assertThat(admin.get("/api/v1/devices/pump-1/certificates").json().path("items")).isEmpty();
  }

  /** Issues a certificate through the API for a new openssl key saved as {@code <name>.key} / {@code <name>.pem}. */
  private JsonNode issue(String name) throws Exception {
    Openssl.csr(work.resolve(name + ".key"), work.resolve(name + ".csr"), "/CN=pump-1", P256);
    ApiClient.Response issued = admin.post("/api/v1/devices/pump-1/certificates", "{\"csrPem\":"
        + Json.MAPPER.writeValueAsString(Files.readString(work.resolve(name + ".csr"))) + "}");
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    Files.writeString(work.resolve(name + ".pem"), issued.json().path("certificatePem").asText());
    return issued.json();
  }

  /**
   * Sends a rotation request with mosquitto_pub, then reads the answer (retained, the last one per topic) with
   * mosquitto_sub, as a device without an MQTT library would. Each request carries its own clientToken.
   */
  private JsonNode request(List<String> tls, String body) throws Exception {
    Path file = Files.writeString(work.resolve("request.json"), body);
    String clientToken = Json.MAPPER.readTree(body).path("clientToken").asText("");
    MosquittoClients.Run sent = MosquittoClients.run(mqtts("mosquitto_pub", tls, "-t", ROTATE, "-f", file.toString(),
        "-q", "1"));
    assertThat(sent.exitCode()).as(sent.output()).isZero();
    MosquittoClients.Run read = MosquittoClients.run(mqtts("mosquitto_sub", tls, "-t", ROTATE + "/accepted", "-t",
        ROTATE + "/rejected", "-C", "2", "-W", "3", "-F", "%t %p"));
    JsonNode newest = null;
    for (String line : read.output().strip().split("\n")) {
      if (line.startsWith(ROTATE + "/")) {
        JsonNode answer = Json.MAPPER.readTree(line.substring(line.indexOf(' ') + 1));
        if (answer.path("clientToken").asText("").equals(clientToken)) {
          newest = answer;
        }
      }
    }
    assertThat(newest).as(read.output()).isNotNull();
    return newest;
  }

  private MosquittoClients.Run publish(List<String> tls) {
    return MosquittoClients.run(mqtts("mosquitto_pub", tls, "-t", "devices/pump-1/telemetry", "-m", "{\"t\":1}",
        "-q", "1"));
  }

  private List<String> tls(String name) {
    return List.of("--cafile", serverCa.toString(), "--cert", work.resolve(name + ".pem").toString(), "--key",
        work.resolve(name + ".key").toString());
  }

  private String[] mqtts(String tool, List<String> tls, String... more) {
    List<String> args = new ArrayList<>(MosquittoClients.args(tool, server.mqttsPort(), "mqttv5", "pump-1", null, null));
    args.addAll(tls);
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }
}
