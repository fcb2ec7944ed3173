package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provisioning with a group symmetric key: the factory derives each device's key with openssl (HMAC-SHA256 of the
 * device id under the group key), the device proves itself with a token made from it, over MQTT (Eclipse Paho 5) or
 * HTTP, and gets a device token. The group key is shown once and is nowhere else in clear: not in the API, the logs
 * or the registry's files.
 */
@Timeout(120)
class SymmetricKeyProvisioningIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path dataDir;
  FlotillaServer server;
  ApiClient admin;
  LogCapture logs;

  @BeforeEach
  void start() {
    logs = LogCapture.begin();
    server = TestServers.start(dataDir, Optional.empty());
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    admin.post("/api/v1/device-profiles", "{\"id\":\"meter\"}");
  }

  @AfterEach
  void stop() {
    server.close();
    logs.close();
  }

  /**
   * A device proves membership for its own id and gets a token it then publishes telemetry with; it cannot ask for
   * another id, a proof made with the wrong key is refused at CONNECT, the HTTP door answers alike, the group's rate
   * is enforced with a time to retry, and the group key appears only in the creation answer.
   */
  @Test
  void devicesProvisionTokensWithKeysDerivedFromTheGroupKey() throws Exception {
    ApiClient.Response created = admin.post("/api/v1/enrollment-groups", "{\"name\":\"keyed\",\"attestation\":"
        + "\"symmetricKey\",\"credential\":\"token\",\"deviceIdPrefix\":\"meter-\",\"requestsPerMinute\":3,"
        + "\"template\":{\"profile\":\"meter\",\"tags\":{\"line\":\"b\"},\"initialTwin\":{\"tariff\":\"night\"}}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String group = created.json().path("id").asText();
    String groupKey = created.json().path("symmetricKey").asText();
    assertThat(groupKey).matches("[0-9a-f]{64}");
    assertThat(admin.get("/api/v1/enrollment-groups/" + group).body()).doesNotContain(groupKey)
        .doesNotContain("\"symmetricKey\":");
    assertThat(admin.get("/api/v1/enrollment-groups").body()).doesNotContain(groupKey);

    MqttClient claimer = PahoV5.connect(server.mqttPort(), "sk-1", "provision:" + group + ":meter-0002",
        proof(groupKey, "meter-0002"));
    BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    claimer.setCallback(PahoV5.onMessage((topic, message) -> answers.add(topic + " "
        + new String(message.getPayload(), StandardCharsets.UTF_8))));
    claimer.subscribe("$provisioning/responses/sk-1/#", 1);
    claimer.publish("$provisioning/register", message("{\"requestId\":\"k1\",\"deviceId\":\"meter-0002\"}"));
    String accepted = answers.poll(15, TimeUnit.SECONDS);
    assertThat(accepted).startsWith("$provisioning/responses/sk-1/accepted ");
    JsonNode answer = Json.MAPPER.readTree(accepted.substring(accepted.indexOf(' ') + 1));
    String token = answer.path("token").asText();
    assertThat(token).startsWith("fdt_");
    assertThat(answer.has("certificatePem")).isFalse();

    claimer.publish("$provisioning/register", message("{\"requestId\":\"k2\",\"deviceId\":\"meter-0003\"}"));
    String other = answers.poll(15, TimeUnit.SECONDS);
    assertThat(other).startsWith("$provisioning/responses/sk-1/rejected ").contains("device-id-not-allowed");
    claimer.disconnect();
    claimer.close();

    MqttClient device = PahoV5.connect(server.mqttPort(), "meter-0002", "meter-0002", token);
    device.publish("devices/meter-0002/telemetry", message("{\"kwh\":3}"));
    device.disconnect();
    device.close();
    assertThat(admin.get("/api/v1/devices/meter-0002").json().path("tags").path("line").asText()).isEqualTo("b");
    assertThat(admin.get("/api/v1/devices/meter-0002/twin").json().path("desired").path("tariff").asText())
        .as("the group template's initial twin is the device's first desired state").isEqualTo("night");
    assertThat(admin.get("/api/v1/devices/meter-0002/telemetry/latest").body()).contains("kwh");

    String wrongKey = "00".repeat(32);
    MqttException refused = PahoV5.connectFails(server.mqttPort(), "sk-2", "provision:" + group + ":meter-0009",
        proof(wrongKey, "meter-0009"));
    assertThat(refused.getReasonCode()).isEqualTo(0x86);

    HttpResponse<String> http = register(group, "meter-0004", proof(groupKey, "meter-0004"),
        "{\"requestId\":\"h1\",\"deviceId\":\"meter-0004\"}");
    assertThat(http.statusCode()).as(http.body()).isEqualTo(201);
    assertThat(Json.MAPPER.readTree(http.body()).path("token").asText()).startsWith("fdt_");
    HttpResponse<String> replay = register(group, "meter-0004", proof(groupKey, "meter-0004"),
        "{\"requestId\":\"h1\",\"deviceId\":\"meter-0004\"}");
    assertThat(replay.statusCode()).isEqualTo(409);
    assertThat(replay.body()).contains("device-exists").doesNotContain("fdt_");
    HttpResponse<String> limited = register(group, "meter-0005", proof(groupKey, "meter-0005"),
        "{\"requestId\":\"h3\",\"deviceId\":\"meter-0005\"}");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(s ->
        assertThat(Long.parseLong(s)).isBetween(1L, 20L));
    assertThat(admin.get("/api/v1/devices/meter-0005").status()).isEqualTo(404);
    HttpResponse<String> forged = register(group, "meter-0006", proof(wrongKey, "meter-0006"),
        "{\"requestId\":\"h4\",\"deviceId\":\"meter-0006\"}");
    assertThat(forged.statusCode()).isEqualTo(401);

    assertThat(admin.get("/api/v1/audit").body()).doesNotContain(groupKey).contains("device.provisioned");
    assertThat(logs.text()).contains("Provisioned device meter-0002").doesNotContain(groupKey).doesNotContain(token);
    byte[] rawKey = HexFormat.of().parseHex(groupKey);
    try (Stream<Path> files = Files.list(dataDir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("registry.db")).toList()) {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(contains(bytes, groupKey.getBytes(StandardCharsets.US_ASCII))).as(file + " holds the key in hex")
            .isFalse();
        assertThat(contains(bytes, rawKey)).as(file + " holds the raw key").isFalse();
        assertThat(contains(bytes, token.getBytes(StandardCharsets.US_ASCII))).as(file + " holds the token").isFalse();
      }
    }
  }

  /** An individual enrollment provisions its one device id: a proof made with its key for another id gets nothing. */
  @Test
  void individualEnrollmentProvisionsItsOneDeviceId() throws Exception {
    ApiClient.Response created = admin.post("/api/v1/enrollment-groups", "{\"name\":\"solo\",\"attestation\":"
        + "\"symmetricKey\",\"credential\":\"token\",\"deviceId\":\"solo-1\",\"template\":{\"profile\":\"meter\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("kind").asText()).isEqualTo("individual");
    String group = created.json().path("id").asText();
    String key = created.json().path("symmetricKey").asText();

    HttpResponse<String> other = register(group, "solo-2", proof(key, "solo-2"),
        "{\"requestId\":\"i1\",\"deviceId\":\"solo-2\"}");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.body()).contains("device-id-not-allowed").contains("'solo-1' only");
    HttpResponse<String> own = register(group, "solo-1", proof(key, "solo-1"),
        "{\"requestId\":\"i2\",\"deviceId\":\"solo-1\"}");
    assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
    assertThat(admin.get("/api/v1/devices/solo-1").status()).isEqualTo(200);
    assertThat(admin.get("/api/v1/devices/solo-2").status()).isEqualTo(404);
    assertThat(admin.post("/api/v1/enrollment-groups", "{\"name\":\"x\",\"attestation\":\"symmetricKey\","
        + "\"deviceId\":\"a/b\",\"deviceIdPrefix\":\"a\",\"template\":{\"profile\":\"meter\"}}").body())
        .contains("deviceId").contains("deviceIdPrefix");
  }

  /** The password a factory computes with openssl alone, valid for an hour. */
  private static String proof(String groupKeyHex, String deviceId) throws Exception {
    String deviceKey = hmac(groupKeyHex, deviceId);
    long expiry = Instant.now().plusSeconds(3600).getEpochSecond();
    return expiry + "." + hmac(deviceKey, deviceId + "\n" + expiry);
  }

  /** {@code printf '%s' message | openssl dgst -sha256 -mac HMAC -macopt hexkey:<key>}, the hex digest. */
  private static String hmac(String keyHex, String message) throws Exception {
    Process p = new ProcessBuilder("openssl", "dgst", "-sha256", "-mac", "HMAC", "-macopt", "hexkey:" + keyHex)
        .redirectErrorStream(true).start();
    p.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String printed = out.toString(StandardCharsets.UTF_8).trim();
    return printed.substring(printed.lastIndexOf(' ') + 1);
  }

  private HttpResponse<String> register(String group, String deviceId, String proof, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
            + "/device/v1/provisioning/register"))
        .header("Authorization", "Provision " + group + " " + deviceId + " " + proof)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static MqttMessage message(String json) {
    MqttMessage message = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
    message.setQos(1);
    return message;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
