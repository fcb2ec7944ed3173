package io.flotilla.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flotilla's REST API as a benchmark uses it, with the administrator's bearer token: register a
 * profile and a fleet with their device tokens, and read back what the server stored and counted.
 * Any answer but the expected status fails with the status and the server's problem text.
 */
final class FlotillaAdminApi {
  /** Devices registered per bulk import call. */
  static final int IMPORT_BATCH = 10_000;
  /** Device tokens requested at once. */
  private static final int TOKENS_AT_ONCE = 8;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  private final String adminToken;

  FlotillaAdminApi(URI base, String adminToken) {
    this.base = base;
    this.adminToken = adminToken;
  }

  /** Creates a device profile whose telemetry must match {@code telemetrySchema}, a JSON Schema. */
  void createProfile(String id, String telemetrySchema) {
    ObjectNode body = Json.object().put("id", id);
    body.set("telemetrySchema", Json.readTrusted(telemetrySchema));
    send(post("/api/v1/device-profiles", body), 201, "create the profile " + id);
  }

  /** Registers devices of {@code profile} with these tags, {@link #IMPORT_BATCH} per call. */
  void importDevices(List<String> ids, String profile, Map<String, String> tags) {
    for (int from = 0; from < ids.size(); from += IMPORT_BATCH) {
      ArrayNode devices = Json.array();
      for (String id : ids.subList(from, Math.min(ids.size(), from + IMPORT_BATCH))) {
        ObjectNode device = devices.addObject().put("id", id).put("profile", profile);
        ObjectNode tagNode = device.putObject("tags");
        tags.forEach(tagNode::put);
      }
      send(post("/api/v1/devices/bulk", devices), 201, "import " + devices.size() + " devices");
    }
  }

  /** Issues a device token to each device, in the order given. */
  List<String> issueTokens(List<String> ids) {
    List<String> tokens = new ArrayList<>(ids.size());
    for (int from = 0; from < ids.size(); from += TOKENS_AT_ONCE) {
      List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + TOKENS_AT_ONCE));
      for (String id : batch) {
        pending.add(http.sendAsync(post("/api/v1/devices/" + id + "/credentials", Json.object().put("type", "token")),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
      }
      for (int i = 0; i < batch.size(); i++) {
        HttpResponse<String> response = pending.get(i).join();
        JsonNode body = expect(response, 201, "issue a token to device " + batch.get(i));
        tokens.add(body.path("token").asText());
      }
    }
    return tokens;
  }

  /** Issues a certificate from the tenant CA to device {@code id} for {@code csrPem}; returns it as PEM. */
  String issueCertificate(String id, String csrPem) {
    return send(post("/api/v1/devices/" + encode(id) + "/certificates", Json.object().put("csrPem", csrPem)), 201,
        "issue a certificate to device " + id).path("certificatePem").asText();
  }

  /** Sets desired values of a device's twin (JSON merge patch of {@code desired}); returns the new twin. */
  JsonNode patchDesired(String id, JsonNode desired) {
    ObjectNode body = Json.object();
    body.set("desired", desired);
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/devices/" + encode(id) + "/twin"))
        .timeout(TIMEOUT).header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8)).build();
    return send(request, 200, "set desired values of device " + id);
  }

  /** Sends a direct command and waits for the device's answer; returns the command as the API shows it. */
  JsonNode directCommand(String id, String name, JsonNode payload, int timeoutSeconds) {
    ObjectNode body = Json.object().put("name", name).put("mode", "direct").put("timeoutSeconds", timeoutSeconds);
    body.set("payload", payload);
    return send(post("/api/v1/devices/" + encode(id) + "/commands", body), 200, "send command " + name + " to device "
        + id);
  }

  /**
   * Creates an enrollment group whose members prove membership with a claim certificate and get a certificate from
   * their CSR, with ids starting {@code prefix}, devices of {@code profile}; returns its id.
   */
  String createClaimEnrollmentGroup(String name, String profile, String prefix, int requestsPerMinute) {
    ObjectNode body = Json.object().put("name", name).put("attestation", "claimCertificate")
        .put("credential", "certificate").put("deviceIdPrefix", prefix).put("requestsPerMinute", requestsPerMinute);
    body.putObject("template").put("profile", profile);
    return send(post("/api/v1/enrollment-groups", body), 201, "create the enrollment group " + name).path("id")
        .asText();
  }

  /** Issues the group's claim certificate from {@code csrPem}; returns it as PEM. */
  String issueClaimCertificate(String groupId, String csrPem) {
    return send(post("/api/v1/enrollment-groups/" + encode(groupId) + "/claim-certificates",
        Json.object().put("csrPem", csrPem)), 201, "issue a claim certificate").path("certificatePem").asText();
  }

  /** The tenant CA's certificate as PEM. */
  String caCertificate() {
    return expectText(call(get("/api/v1/ca/certificate"), "read the tenant CA certificate"),
        "read the tenant CA certificate");
  }

  /**
   * The data points of {@code key} stored for the devices with tag {@code tagKey:tagValue} between two
   * instants, as the fleet aggregate ({@code agg=count}, day buckets) reads them from the store.
   */
  long countPoints(String key, String tagKey, String tagValue, Instant from, Instant to) {
    String query = "/api/v1/telemetry/fleet?key=" + encode(key) + "&agg=count&bucket=1d&groupBy=" + encode(tagKey)
        + "&tag=" + encode(tagKey + ":" + tagValue) + "&from=" + encode(from.toString()) + "&to="
        + encode(to.toString());
    JsonNode items = send(get(query), 200, "count the stored points of " + key).path("items");
    long count = 0;
    for (JsonNode bucket : items) {
      count += Math.round(bucket.path("value").asDouble());
    }
    return count;
  }

  /** The sum of every sample of a counter or gauge on {@code /metrics} (Prometheus text); 0 when absent. */
  double metric(String name) {
    HttpResponse<String> response = call(HttpRequest.newBuilder(base.resolve("/metrics")).timeout(TIMEOUT).GET()
        .build(), "read /metrics");
    if (response.statusCode() != 200) {
      throw new IllegalStateException("reading /metrics answered " + response.statusCode());
    }
    return metricSum(response.body(), name);
  }

  /** Sums the samples named exactly {@code name}, whatever their labels, in Prometheus text. */
  static double metricSum(String prometheusText, String name) {
    Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})?\\s+(\\S+)").matcher(
        prometheusText);
    double sum = 0;
    while (sample.find()) {
      sum += Double.parseDouble(sample.group(1));
    }
    return sum;
  }

  private HttpRequest post(String path, JsonNode body) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8)).build();
  }

  private HttpRequest get(String pathAndQuery) {
    return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + adminToken).GET().build();
  }

  private JsonNode send(HttpRequest request, int expected, String what) {
    return expect(call(request, what), expected, what);
  }

  private HttpResponse<String> call(HttpRequest request, String what) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot " + what + " through the REST API: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }

  private static JsonNode expect(HttpResponse<String> response, int expected, String what) {
    if (response.statusCode() != expected) {
      throw new IllegalStateException("cannot " + what + ": the REST API answered " + response.statusCode() + " "
          + response.body().strip());
    }
    return response.body().isBlank() ? Json.object() : Json.readTrusted(response.body());
  }

  private static String expectText(HttpResponse<String> response, String what) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException("cannot " + what + ": the REST API answered " + response.statusCode() + " "
          + response.body().strip());
    }
    return response.body();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
