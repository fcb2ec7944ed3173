package io.flotilla.device;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.server.FlotillaServer;
import io.flotilla.server.config.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The real Flotilla server, in-process on ephemeral ports, that a test can stop (a network cut for the
 * device) and start again on the same data folder and ports; with the few REST calls the SDK's tests need.
 */
final class PlatformServer implements AutoCloseable {
  static final String ADMIN_TOKEN = "sdk-test-admin-token-0123456789";
  private final HttpClient http = HttpClient.newHttpClient();
  private ServerConfig config;
  private FlotillaServer server;

  PlatformServer(Path dataDir) {
    this(dataDir, UnaryOperator.identity());
  }

  /** A server whose test configuration {@code adjust} changes first (smaller limits, say). */
  PlatformServer(Path dataDir, UnaryOperator<ServerConfig> adjust) {
    config = adjust.apply(ServerConfig.forTests(dataDir).withAdminToken(ADMIN_TOKEN));
    server = FlotillaServer.start(config);
    config = config.withPorts(server.httpPort(), server.mqttPort(), server.mqttsPort());
  }

  String mqttUri() {
    return "tcp://127.0.0.1:" + config.mqttPort();
  }

  String mqttsUri() {
    return "ssl://127.0.0.1:" + config.mqttsPort();
  }

  /** The server's built-in TLS CA certificate, which devices trust. */
  Path tlsCa() {
    return config.dataDir().resolve("tls").resolve("ca.pem");
  }

  void stop() {
    server.close();
    server = null;
  }

  void restart() {
    server = FlotillaServer.start(config);
  }

  /** Registers a profile (with this telemetry JSON Schema, or none when null) and a device; returns its token. */
  String registerDevice(String profile, String schema, String deviceId) {
    post("/api/v1/device-profiles", "{\"id\":\"" + profile + "\"" + (schema == null ? "" : ",\"telemetrySchema\":"
        + schema) + "}", 201, 409);
    post("/api/v1/devices", "{\"id\":\"" + deviceId + "\",\"profile\":\"" + profile + "\"}", 201);
    return post("/api/v1/devices/" + deviceId + "/credentials", "{\"type\":\"token\"}", 201).path("token").asText();
  }

  /** Every stored value of {@code key} for the device in the last and next day, in time order, all pages. */
  List<JsonNode> stored(String deviceId, String key) {
    Instant now = Instant.now();
    String range = "from=" + enc(now.minus(1, ChronoUnit.DAYS).toString()) + "&to="
        + enc(now.plus(1, ChronoUnit.DAYS).toString());
    List<JsonNode> values = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = get("/api/v1/devices/" + deviceId + "/telemetry?key=" + key + "&" + range + "&limit=10000"
          + (cursor == null ? "" : "&cursor=" + enc(cursor)));
      page.path("items").forEach(p -> values.add(p.path("value")));
      cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
    } while (cursor != null);
    return values;
  }

  JsonNode get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build(),
        200);
  }

  JsonNode post(String path, String body, int... expected) {
    return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + ADMIN_TOKEN)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), expected);
  }

  JsonNode patch(String path, String body, int... expected) {
    return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + ADMIN_TOKEN)
        .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(body))
        .build(), expected);
  }

  private JsonNode send(HttpRequest request, int... expected) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      for (int status : expected) {
        if (response.statusCode() == status) {
          return response.body().isEmpty() ? DeviceJson.object() : DeviceJson.MAPPER.readTree(response.body());
        }
      }
      throw new AssertionError(request.method() + " " + request.uri() + " answered " + response.statusCode() + " "
          + response.body());
    } catch (IOException e) {
      throw new AssertionError(request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + config.httpPort() + path);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
