package io.flotilla.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import io.flotilla.tools.admin.AdminApi;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flotilla's REST API as a benchmark uses it, with the administrator's bearer token: register a
 * profile and a fleet with their device tokens and certificates, drive twins and commands, and read back what the
 * server stored and counted. Any answer but the expected status fails with the status and the server's problem
 * text ({@link AdminApi}).
 */
final class FlotillaAdminApi {
  /** Device tokens requested at once. */
  private static final int TOKENS_AT_ONCE = 8;

  private final AdminApi api;

  FlotillaAdminApi(URI base, String adminToken) {
    this.api = new AdminApi(base, adminToken, IllegalStateException::new);
  }

  /** Creates a device profile whose telemetry must match {@code telemetrySchema}, a JSON Schema. */
  void createProfile(String id, String telemetrySchema) {
    ObjectNode body = Json.object().put("id", id);
    body.set("telemetrySchema", Json.readTrusted(telemetrySchema));
    api.post("/api/v1/device-profiles", body, "create the profile " + id, 201);
  }

  /** Registers devices of {@code profile} with these tags. */
  void importDevices(List<String> ids, String profile, Map<String, String> tags) {
    api.importDevices(ids, profile, tags);
  }

  /** Issues a device token to each device, in the order given. */
  List<String> issueTokens(List<String> ids) {
    return api.issueTokens(ids, TOKENS_AT_ONCE, done -> { });
  }

  /** Issues a certificate from the tenant CA to device {@code id} for {@code csrPem}; returns it as PEM. */
  String issueCertificate(String id, String csrPem) {
    return api.post("/api/v1/devices/" + AdminApi.encode(id) + "/certificates", Json.object().put("csrPem", csrPem),
        "issue a certificate to device " + id, 201).path("certificatePem").asText();
  }

  /** Sets desired values of a device's twin (JSON merge patch of {@code desired}); returns the new twin. */
  JsonNode patchDesired(String id, JsonNode desired) {
    ObjectNode body = Json.object();
    body.set("desired", desired);
    return api.patch("/api/v1/devices/" + AdminApi.encode(id) + "/twin", body, "set desired values of device " + id,
        200);
  }

  /** Sends a direct command and waits for the device's answer; returns the command as the API shows it. */
  JsonNode directCommand(String id, String name, JsonNode payload, int timeoutSeconds) {
    ObjectNode body = Json.object().put("name", name).put("mode", "direct").put("timeoutSeconds", timeoutSeconds);
    body.set("payload", payload);
    return api.post("/api/v1/devices/" + AdminApi.encode(id) + "/commands", body,
        "send command " + name + " to device " + id, 200);
  }

  /**
   * Creates an enrollment group whose members prove membership with a claim certificate and get a certificate from
   * their CSR, with ids starting {@code prefix}, devices of {@code profile}; returns its id.
   */
  String createClaimEnrollmentGroup(String name, String profile, String prefix, int requestsPerMinute) {
    ObjectNode body = Json.object().put("name", name).put("attestation", "claimCertificate")
        .put("credential", "certificate").put("deviceIdPrefix", prefix).put("requestsPerMinute", requestsPerMinute);
    body.putObject("template").put("profile", profile);
    return api.post("/api/v1/enrollment-groups", body, "create the enrollment group " + name, 201).path("id")
        .asText();
  }

  /** Issues the group's claim certificate from {@code csrPem}; returns it as PEM. */
  String issueClaimCertificate(String groupId, String csrPem) {
    return api.post("/api/v1/enrollment-groups/" + AdminApi.encode(groupId) + "/claim-certificates",
        Json.object().put("csrPem", csrPem), "issue a claim certificate", 201).path("certificatePem").asText();
  }

  /** The tenant CA's certificate as PEM. */
  String caCertificate() {
    return api.getText("/api/v1/ca/certificate", "read the tenant CA certificate");
  }

  /**
   * The data points of {@code key} stored for the devices with tag {@code tagKey:tagValue} between two
   * instants, as the fleet aggregate ({@code agg=count}, day buckets) reads them from the store.
   */
  long countPoints(String key, String tagKey, String tagValue, Instant from, Instant to) {
    String query = "/api/v1/telemetry/fleet?key=" + AdminApi.encode(key) + "&agg=count&bucket=1d&groupBy="
        + AdminApi.encode(tagKey) + "&tag=" + AdminApi.encode(tagKey + ":" + tagValue) + "&from="
        + AdminApi.encode(from.toString()) + "&to=" + AdminApi.encode(to.toString());
    JsonNode items = api.get(query, "count the stored points of " + key, 200).path("items");
    long count = 0;
    for (JsonNode bucket : items) {
      count += Math.round(bucket.path("value").asDouble());
    }
    return count;
  }

  /** The sum of every sample of a counter or gauge on {@code /metrics} (Prometheus text); 0 when absent. */
  double metric(String name) {
    return metricSum(api.getText("/metrics", "read /metrics"), name);
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
}
