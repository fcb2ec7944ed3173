package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.flotilla.core.json.Json;
import io.flotilla.core.provisioning.SymmetricKeyProof;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tenant's pre-provisioning hook, a real HTTP server on an ephemeral port: it receives each request signed with
 * the group's webhook secret and allows it (amending the device id and tags), denies it with a reason the device
 * sees, or cannot be reached, which denies too.
 */
@Timeout(90)
class PreProvisioningHookIT {
  private static final String SECRET = "hook-secret-0123456789";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path dataDir;
  FlotillaServer server;
  ApiClient admin;
  HttpServer hook;
  final AtomicReference<String> answer = new AtomicReference<>("{\"allow\":true}");
  final BlockingQueue<String[]> received = new LinkedBlockingQueue<>();
  String group;
  byte[] groupKey;
  LogCapture logs;

  @BeforeEach
  void start() throws Exception {
    logs = LogCapture.begin();
    hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      received.add(new String[] {new String(body, StandardCharsets.UTF_8),
          exchange.getRequestHeaders().getFirst("X-Flotilla-Signature")});
      byte[] out = answer.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, out.length);
      exchange.getResponseBody().write(out);
      exchange.close();
    });
    hook.start();
    server = TestServers.start(dataDir, Optional.empty());
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    admin.post("/api/v1/device-profiles", "{\"id\":\"meter\"}");
    ApiClient.Response created = admin.post("/api/v1/enrollment-groups", "{\"name\":\"hooked\",\"attestation\":"
        + "\"symmetricKey\",\"credential\":\"token\",\"template\":{\"profile\":\"meter\",\"tags\":{\"line\":\"b\"}},"
        + "\"webhook\":{\"url\":\"http://127.0.0.1:" + hook.getAddress().getPort() + "/hook\",\"secret\":\""
        + SECRET + "\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    group = created.json().path("id").asText();
    groupKey = HexFormat.of().parseHex(created.json().path("symmetricKey").asText());
  }

  @AfterEach
  void stop() {
    server.close();
    hook.stop(0);
    logs.close();
  }

  /** The hook gets the request signed with the secret, and its amendments (id, tags) are what is registered. */
  @Test
  void hookAllowsAndAmendsSignedRequests() throws Exception {
    answer.set("{\"allow\":true,\"deviceId\":\"meter-amended\",\"tags\":{\"site\":\"north\"}}");

    HttpResponse<String> response = register("meter-0001");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(Json.MAPPER.readTree(response.body()).path("deviceId").asText()).isEqualTo("meter-amended");
    String[] request = received.poll(5, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    JsonNode sent = Json.MAPPER.readTree(request[0]);
    assertThat(sent.path("deviceId").asText()).isEqualTo("meter-0001");
    assertThat(sent.path("enrollmentGroupId").asText()).isEqualTo(group);
    assertThat(sent.path("proof").asText()).isEqualTo("symmetric-key");
    // Computed here with the JDK, not with the server's own signing code, so a wrong algorithm or encoding shows.
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    assertThat(request[1]).isEqualTo("sha256="
        + java.util.HexFormat.of().formatHex(mac.doFinal(request[0].getBytes(StandardCharsets.UTF_8))));
    JsonNode device = admin.get("/api/v1/devices/meter-amended").json();
    assertThat(device.path("tags").path("line").asText()).isEqualTo("b");
    assertThat(device.path("tags").path("site").asText()).isEqualTo("north");
    assertThat(admin.get("/api/v1/devices/meter-0001").status()).isEqualTo(404);
    ApiClient.Response shown = admin.get("/api/v1/enrollment-groups/" + group);
    assertThat(shown.json().path("webhook").path("url").asText()).endsWith("/hook");
    assertThat(shown.body()).doesNotContain(SECRET);
  }

  /** A denial's reason reaches the device; an unreachable hook denies with a reason that says so. */
  @Test
  void deniedOrUnreachableHookRegistersNothing() throws Exception {
    answer.set("{\"allow\":false,\"reason\":\"not on the shipping list\"}");
    HttpResponse<String> denied = register("meter-0002");
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(Json.MAPPER.readTree(denied.body()).path("code").asText()).isEqualTo("denied");
    assertThat(denied.body()).contains("not on the shipping list");
    assertThat(admin.get("/api/v1/devices/meter-0002").status()).isEqualTo(404);

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ApiClient.Response patched = admin.patch("/api/v1/enrollment-groups/" + group, "{\"webhook\":{\"url\":"
        + "\"http://127.0.0.1:" + closedPort + "/hook\",\"secret\":\"" + SECRET + "\"}}", null);
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    HttpResponse<String> unreachable = register("meter-0003");
    assertThat(unreachable.statusCode()).isEqualTo(403);
    assertThat(unreachable.body()).contains("could not be reached");
    assertThat(admin.get("/api/v1/devices/meter-0003").status()).isEqualTo(404);

    ApiClient.Response bad = admin.patch("/api/v1/enrollment-groups/" + group,
        "{\"webhook\":{\"url\":\"ftp://x\",\"secret\":\"short\"}}", null);
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.body()).contains("webhook.url").contains("webhook.secret");
    assertThat(logs.text()).contains("could not be reached").doesNotContain(SECRET);
  }

  private HttpResponse<String> register(String deviceId) throws Exception {
    long expiry = Instant.now().plusSeconds(600).getEpochSecond();
    String proof = SymmetricKeyProof.password(SymmetricKeyProof.deviceKey(groupKey, deviceId), deviceId, expiry);
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
            + "/device/v1/provisioning/register"))
        .header("Authorization", "Provision " + group + " " + deviceId + " " + proof)
        .POST(HttpRequest.BodyPublishers.ofString("{\"requestId\":\"q-" + deviceId + "\",\"deviceId\":\"" + deviceId
            + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
  }
}
