package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.device.DeviceConnection;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document is checked against what the running server really does and returns. */
@Timeout(60)
class OpenApiConformanceIT {
  @TempDir
  Path dataDir;

  /**
   * Every documented operation exists (an unauthenticated call gets 401, never 404 or 405), every
   * schema reference resolves, and each entity schema lists exactly the fields the API returns.
   */
  @Test
  void documentMatchesTheServer() throws Exception {
    ServerConfig.TelemetryLimits sizes = ServerConfig.TelemetryLimits.DEFAULTS;
    ServerConfig config = TestServers.config(dataDir).withTelemetry(new ServerConfig.TelemetryLimits(
        sizes.maxPayloadBytes(), sizes.writers(), sizes.batchPoints(), sizes.queuePoints(), sizes.rejectedKept(), 1));
    try (FlotillaServer server = FlotillaServer.start(config)) {
      ApiClient anonymous = new ApiClient(server.httpPort(), Optional.empty());
      ApiClient admin = anonymous.as(TestServers.ADMIN_TOKEN);
      JsonNode doc = anonymous.get("/api/openapi.json").json();
      JsonNode schemas = doc.path("components").path("schemas");

      List<String> refs = new ArrayList<>();
      collectRefs(doc, refs);
      assertThat(refs).isNotEmpty().allSatisfy(ref ->
          assertThat(schemas.has(ref.substring("#/components/schemas/".length()))).as(ref).isTrue());

      for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
        Map.Entry<String, JsonNode> path = paths.next();
        String concrete = path.getKey().replaceAll("\\{[^}]+}", "x");
        for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
          String method = methods.next().toUpperCase(java.util.Locale.ROOT);
          boolean secured = !path.getValue().path(method.toLowerCase(java.util.Locale.ROOT)).path("security").isEmpty();
          int status = anonymous.send(method, concrete, method.equals("GET") || method.equals("DELETE") ? null : "{}",
              "application/json", null).status();
          assertThat(status).as(method + " " + path.getKey()).isNotIn(404, 405);
          if (secured) {
            assertThat(status).as(method + " " + path.getKey()).isEqualTo(401);
          }
        }
      }

      admin.post("/api/v1/device-profiles", "{\"id\":\"pump\",\"telemetrySchema\":{\"type\":\"object\"}}");
      JsonNode device = admin.post("/api/v1/devices",
          "{\"id\":\"p1\",\"profile\":\"pump\",\"tags\":{\"site\":\"north\"}}").json();
      JsonNode group = admin.post("/api/v1/groups", "{\"id\":\"g\",\"type\":\"dynamic\",\"filter\":{\"profile\":\"pump\"}}")
          .json();
      JsonNode token = admin.post("/api/v1/tokens", "{\"name\":\"t\",\"expiresInSeconds\":60}").json();
      assertSameFields(schemas.path("Device"), device);
      JsonNode profile = admin.get("/api/v1/device-profiles/pump").json();
      assertSameFields(schemas.path("Profile"), profile);
      assertSameFields(schemas.path("Retention"), profile.path("retention"));
      assertSameFields(schemas.path("Group"), group);
      JsonNode twin = admin.patch("/api/v1/devices/p1/twin", "{\"desired\":{\"mode\":\"eco\"}}", null).json();
      assertSameFields(schemas.path("Twin"), twin);
      assertSameFields(schemas.path("TwinChange"), admin.get("/api/v1/devices/p1/twin/history").json().path("items")
          .get(0));
      assertSameFields(schemas.path("TwinSummary"), admin.get("/api/v1/devices/p1/twins").json().path("items").get(0));
      assertSameFields(schemas.path("TwinMatch"), admin.get("/api/v1/twins?where=desired.mode%3Deco").json()
          .path("items").get(0));
      assertSameFields(schemas.path("TokenIssued"), token);
      assertSameFields(schemas.path("User"), admin.get("/api/v1/users/admin").json());
      assertSameFields(schemas.path("Tenant"), admin.get("/api/v1/tenants/default").json());
      assertSameFields(schemas.path("AuditRecord"), admin.get("/api/v1/audit?limit=1").json().path("items").get(0));
      assertSameFields(schemas.path("DeviceConnection"), admin.get("/api/v1/devices/p1/connection").json());
      JsonNode rule = admin.post("/api/v1/acl/rules", "{\"topicFilter\":\"status/{deviceId}\","
          + "\"actions\":[\"publish\"],\"profileId\":\"pump\"}").json();
      assertThat(rule.size()).isEqualTo(schemas.path("TopicRule").path("properties").size());
      assertSameFields(schemas.path("TopicRule"), rule);
      assertSameFields(schemas.path("TopicRuleList"), admin.get("/api/v1/acl/rules").json());
      DeviceConnection connected = server.services().connectivity().connected(new TenantId("default"),
          new DeviceId("p1"), "10.0.0.5:40000", "mqtt-5");
      server.services().connectivity().disconnected(connected.tenant(), connected.device(),
          connected.connectionId().orElseThrow(), "keep-alive timeout");
      JsonNode everyField = admin.get("/api/v1/devices/p1/connection").json();
      assertThat(everyField.size()).isEqualTo(schemas.path("DeviceConnection").path("properties").size());
      assertSameFields(schemas.path("DeviceConnection"), everyField);

      commandAnswersMatchTheirSchemas(doc, admin, server.httpPort());
      telemetryAnswersMatchTheirSchemas(doc, anonymous, admin);
      certificateAnswersMatchTheirSchemas(doc, admin, dataDir);
      registeredCaAnswersMatchTheirSchemas(doc, admin, dataDir);
      lifecycleAnswersMatchTheirSchemas(doc, admin, dataDir);
      provisioningAnswersMatchTheirSchemas(doc, admin, dataDir);
      enrollmentAnswersMatchTheirSchemas(doc, admin, dataDir, server.httpPort());
    }
  }

  /** Commands: a queued one (202), the device's list, a cancel, and a device fetching and answering over HTTP. */
  private static void commandAnswersMatchTheirSchemas(JsonNode doc, ApiClient admin, int httpPort) {
    JsonNode schemas = doc.path("components").path("schemas");
    ApiClient.Response queued = admin.post("/api/v1/devices/p1/commands",
        "{\"name\":\"reboot\",\"payload\":{\"delay\":1},\"mode\":\"queued\",\"ttlSeconds\":60}");
    assertDocumented(doc, "post", "/api/v1/devices/{id}/commands", queued);
    assertSameFields(schemas.path("Command"), queued.json());
    ApiClient.Response list = admin.get("/api/v1/devices/p1/commands");
    assertDocumented(doc, "get", "/api/v1/devices/{id}/commands", list);
    assertSameFields(schemas.path("CommandList"), list.json());
    ApiClient.Response cancelled = admin.post("/api/v1/devices/p1/commands/" + queued.json().path("id").asText()
        + "/cancel", "");
    assertDocumented(doc, "post", "/api/v1/devices/{id}/commands/{commandId}/cancel", cancelled);
    assertSameFields(schemas.path("Command"), cancelled.json());
    String token = admin.post("/api/v1/devices/p1/credentials", "{}").json().path("token").asText();
    ApiClient device = new ApiClient(httpPort, Optional.empty()).asDevice("p1", token);
    String id = admin.post("/api/v1/devices/p1/commands", "{\"name\":\"ping\",\"mode\":\"queued\"}").json()
        .path("id").asText();
    ApiClient.Response fetched = device.get("/device/v1/commands");
    assertDocumented(doc, "get", "/device/v1/commands", fetched);
    assertSameFields(schemas.path("DeviceCommandList"), fetched.json());
    assertSameFields(schemas.path("DeviceCommandList").path("properties").path("items").path("items"),
        fetched.json().path("items").get(0));
    ApiClient.Response answered = device.post("/device/v1/commands/" + id + "/response", "{\"status\":\"succeeded\"}");
    assertDocumented(doc, "post", "/device/v1/commands/{commandId}/response", answered);
    assertSameFields(schemas.path("DeviceCommandAnswered"), answered.json());
  }

  /** Enrollment groups, claim certificates and the provisioning door's answers, called for real. */
  private static void enrollmentAnswersMatchTheirSchemas(JsonNode doc, ApiClient admin, Path dir, int port)
      throws Exception {
    JsonNode schemas = doc.path("components").path("schemas");
    ApiClient.Response keyed = admin.post("/api/v1/enrollment-groups", "{\"name\":\"k\",\"attestation\":"
        + "\"symmetricKey\",\"credential\":\"token\",\"deviceId\":\"k-1\",\"requestsPerMinute\":5,"
        + "\"status\":\"active\",\"template\":{\"profile\":\"pump\"},\"webhook\":{\"url\":\"http://127.0.0.1:9/x\","
        + "\"secret\":\"0123456789abcdef\"}}");
    assertDocumented(doc, "post", "/api/v1/enrollment-groups", keyed);
    assertThat(keyed.json().size()).as("every field").isEqualTo(schemas.path("EnrollmentGroup").path("properties")
        .size());
    assertSameFields(schemas.path("EnrollmentGroup"), keyed.json());
    String keyedPath = "/api/v1/enrollment-groups/" + keyed.json().path("id").asText();
    ApiClient.Response patched = admin.patch(keyedPath, "{\"webhook\":null,\"name\":\"k2\"}", null);
    assertDocumented(doc, "patch", "/api/v1/enrollment-groups/{id}", patched);
    assertThat(patched.json().has("webhook")).isFalse();
    byte[] key = java.util.HexFormat.of().parseHex(keyed.json().path("symmetricKey").asText());
    String proof = io.flotilla.core.provisioning.SymmetricKeyProof.password(
        io.flotilla.core.provisioning.SymmetricKeyProof.deviceKey(key, "k-1"), "k-1",
        java.time.Instant.now().plusSeconds(600).getEpochSecond());
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
            + port + "/device/v1/provisioning/register"))
        .header("Authorization", "Provision " + keyed.json().path("id").asText() + " k-1 " + proof)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"requestId\":\"r\",\"deviceId\":\"k-1\"}")).build();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> provisioned = http.send(request,
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(provisioned.statusCode()).as(provisioned.body()).isEqualTo(201);
    assertThat(doc.path("paths").path("/device/v1/provisioning/register").path("post").path("responses").has("201"))
        .isTrue();
    assertSameFields(schemas.path("ProvisioningAnswer"),
        io.flotilla.core.json.Json.MAPPER.readTree(provisioned.body()));
    java.net.http.HttpResponse<String> refused = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(409);
    assertSameFields(schemas.path("ProvisioningAnswer"), io.flotilla.core.json.Json.MAPPER.readTree(refused.body()));

    ApiClient.Response claims = admin.post("/api/v1/enrollment-groups", "{\"name\":\"c\",\"attestation\":"
        + "\"claimCertificate\",\"template\":{\"profile\":\"pump\"}}");
    String claimsPath = "/api/v1/enrollment-groups/" + claims.json().path("id").asText();
    Openssl.csr(dir.resolve("claim.key"), dir.resolve("claim.csr"), "/CN=claim", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-256");
    ApiClient.Response claim = admin.post(claimsPath + "/claim-certificates", "{\"csrPem\":"
        + io.flotilla.core.json.Json.MAPPER.writeValueAsString(java.nio.file.Files.readString(dir.resolve("claim.csr")))
        + "}");
    assertDocumented(doc, "post", "/api/v1/enrollment-groups/{id}/claim-certificates", claim);
    assertThat(claim.json().size()).isEqualTo(schemas.path("ClaimCertificate").path("properties").size());
    assertSameFields(schemas.path("ClaimCertificate"), claim.json());
    ApiClient.Response claimList = admin.get(claimsPath + "/claim-certificates");
    assertDocumented(doc, "get", "/api/v1/enrollment-groups/{id}/claim-certificates", claimList);
    assertSameFields(schemas.path("ClaimCertificateList"), claimList.json());
    ApiClient.Response list = admin.get("/api/v1/enrollment-groups");
    assertDocumented(doc, "get", "/api/v1/enrollment-groups", list);
    assertSameFields(schemas.path("EnrollmentGroupList"), list.json());
    list.json().path("items").forEach(g -> assertSameFields(schemas.path("EnrollmentGroup"), g));
    assertThat(admin.delete(claimsPath + "/claim-certificates/" + claim.json().path("id").asText()).status())
        .isEqualTo(204);
    assertThat(admin.delete(claimsPath).status()).isEqualTo(204);
  }

  /** Expiring certificates (one issued for 30 days is within the default window) and decommissioning, for real. */
  private static void lifecycleAnswersMatchTheirSchemas(JsonNode doc, ApiClient admin, Path dir) throws Exception {
    JsonNode schemas = doc.path("components").path("schemas");
    admin.post("/api/v1/devices/p1/certificates", "{\"csrPem\":"
        + io.flotilla.core.json.Json.MAPPER.writeValueAsString(java.nio.file.Files.readString(dir.resolve("p1.csr")))
        + ",\"validityDays\":30}");
    ApiClient.Response expiring = admin.get("/api/v1/certificates/expiring?withinDays=31");
    assertDocumented(doc, "get", "/api/v1/certificates/expiring", expiring);
    assertSameFields(schemas.path("ExpiringCertificateList"), expiring.json());
    assertSameFields(schemas.path("ExpiringCertificate"), expiring.json().path("items").get(0));

    ApiClient.Response decommissioned = admin.post("/api/v1/devices/p1/decommission", "{\"purge\":\"now\"}");
    assertDocumented(doc, "post", "/api/v1/devices/{id}/decommission", decommissioned);
    assertSameFields(schemas.path("Decommissioned"), decommissioned.json());
    assertSameFields(schemas.path("Device"), decommissioned.json().path("device"));
  }

  /** The bring-your-own-CA routes, called for real with a CA made by openssl. */
  private static void registeredCaAnswersMatchTheirSchemas(JsonNode doc, ApiClient admin, Path dir) throws Exception {
    JsonNode schemas = doc.path("components").path("schemas");
    OwnCa ca = OwnCa.make(dir, "own-ca", "/CN=Own CA");
    ApiClient.Response code = admin.post("/api/v1/ca/registration-codes", "");
    assertDocumented(doc, "post", "/api/v1/ca/registration-codes", code);
    assertSameFields(schemas.path("CaRegistrationCode"), code.json());
    Path verification = ca.sign("own-verification", "/CN=" + code.json().path("code").asText());
    ApiClient.Response registered = admin.post("/api/v1/ca/registrations", ca.body(verification,
        "{\"profile\":\"pump\",\"groups\":[],\"tags\":{\"a\":\"b\"},\"idFrom\":\"san-dns\",\"approval\":\"pending\","
            + "\"initialTwin\":{\"x\":1}}"));
    assertDocumented(doc, "post", "/api/v1/ca/registrations", registered);
    assertThat(registered.json().size()).as("every field").isEqualTo(schemas.path("RegisteredCa").path("properties")
        .size());
    assertSameFields(schemas.path("RegisteredCa"), registered.json());
    assertSameFields(schemas.path("ProvisioningTemplate"), registered.json().path("template"));
    String path = "/api/v1/ca/registrations/" + registered.json().path("id").asText();
    ApiClient.Response list = admin.get("/api/v1/ca/registrations");
    assertDocumented(doc, "get", "/api/v1/ca/registrations", list);
    assertSameFields(schemas.path("RegisteredCaList"), list.json());
    assertSameFields(schemas.path("RegisteredCa"), list.json().path("items").get(0));
    ApiClient.Response got = admin.get(path);
    assertDocumented(doc, "get", "/api/v1/ca/registrations/{id}", got);
    ApiClient.Response patched = admin.patch(path, "{\"status\":\"inactive\",\"template\":{\"profile\":\"pump\"}}",
        null);
    assertDocumented(doc, "patch", "/api/v1/ca/registrations/{id}", patched);
    assertSameFields(schemas.path("RegisteredCa"), patched.json());
    assertThat(admin.delete(path).status()).isEqualTo(204);
    assertThat(doc.path("paths").path("/api/v1/ca/registrations/{id}").path("delete").path("responses").has("204"))
        .isTrue();
  }

  /** The certificate routes, called for real: issue from a CSR, list, revoke, the CA certificate and its CRL. */
  private static void certificateAnswersMatchTheirSchemas(JsonNode doc, ApiClient admin, Path dir) throws Exception {
    JsonNode schemas = doc.path("components").path("schemas");
    Openssl.csr(dir.resolve("p1.key"), dir.resolve("p1.csr"), "/CN=p1", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
    ApiClient.Response issued = admin.post("/api/v1/devices/p1/certificates", "{\"csrPem\":"
        + io.flotilla.core.json.Json.MAPPER.writeValueAsString(java.nio.file.Files.readString(dir.resolve("p1.csr")))
        + ",\"validityDays\":30}");
    assertDocumented(doc, "post", "/api/v1/devices/{id}/certificates", issued);
    assertSameFields(schemas.path("DeviceCertificateIssued"), issued.json());

    ApiClient.Response list = admin.get("/api/v1/devices/p1/certificates");
    assertDocumented(doc, "get", "/api/v1/devices/{id}/certificates", list);
    assertSameFields(schemas.path("DeviceCertificateList"), list.json());
    assertSameFields(schemas.path("DeviceCertificate"), list.json().path("items").get(0));

    ApiClient.Response revoked = admin.post("/api/v1/devices/p1/certificates/" + issued.json().path("id").asText()
        + "/revoke", "{}");
    assertDocumented(doc, "post", "/api/v1/devices/{id}/certificates/{certificateId}/revoke", revoked);
    assertThat(revoked.json().size()).as("every field but replaces and firstUsedAt, which rotated certificates have")
        .isEqualTo(schemas.path("DeviceCertificate").path("properties").size() - 2);
    assertSameFields(schemas.path("DeviceCertificate"), revoked.json());

    assertProduces(doc, "/api/v1/ca/certificate", admin.get("/api/v1/ca/certificate"));
    assertProduces(doc, "/api/v1/ca/crl", admin.get("/api/v1/ca/crl"));
    assertProduces(doc, "/api/v1/ca/crl", admin.get("/api/v1/ca/crl?format=pem"));
  }

  /** The provisioning job routes, called for real with a one-device manifest. */
  private static void provisioningAnswersMatchTheirSchemas(JsonNode doc, ApiClient admin, Path dir) throws Exception {
    JsonNode schemas = doc.path("components").path("schemas");
    Openssl.csr(dir.resolve("j1.key"), dir.resolve("j1.csr"), "/CN=j1", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
    ApiClient.Response submitted = admin.post("/api/v1/provisioning/jobs", "{\"validityDays\":30,\"devices\":[{"
        + "\"id\":\"j1\",\"profile\":\"pump\",\"csrPem\":" + io.flotilla.core.json.Json.MAPPER.writeValueAsString(
        java.nio.file.Files.readString(dir.resolve("j1.csr"))) + "}]}");
    assertDocumented(doc, "post", "/api/v1/provisioning/jobs", submitted);
    assertSameFields(schemas.path("ProvisioningJob"), submitted.json());
    String job = "/api/v1/provisioning/jobs/" + submitted.json().path("id").asText();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
        .until(() -> admin.get(job).json().path("state").asText().equals("completed"));

    ApiClient.Response read = admin.get(job);
    assertDocumented(doc, "get", "/api/v1/provisioning/jobs/{id}", read);
    assertThat(read.json().size()).as("every field").isEqualTo(schemas.path("ProvisioningJob").path("properties").size());
    assertSameFields(schemas.path("ProvisioningJob"), read.json());
    ApiClient.Response list = admin.get("/api/v1/provisioning/jobs");
    assertDocumented(doc, "get", "/api/v1/provisioning/jobs", list);
    assertSameFields(schemas.path("ProvisioningJobList"), list.json());
    ApiClient.Response report = admin.get(job + "/report?limit=1");
    assertDocumented(doc, "get", "/api/v1/provisioning/jobs/{id}/report", report);
    assertSameFields(schemas.path("ProvisioningReport"), report.json());
    assertSameFields(schemas.path("ProvisioningReportRow"), report.json().path("items").get(0));
    assertProduces(doc, "/api/v1/provisioning/jobs/{id}/report", admin.get(job + "/report?format=csv"));
    ApiClient.Response cancelled = admin.post(job + "/cancel", "{}");
    assertDocumented(doc, "post", "/api/v1/provisioning/jobs/{id}/cancel", cancelled);
    assertSameFields(schemas.path("ProvisioningJob"), cancelled.json());
  }

  /** A GET that answers with a documented non-JSON media type. */
  private static void assertProduces(JsonNode doc, String path, ApiClient.Response response) {
    assertThat(response.status()).as(path + " answered " + response.status()).isEqualTo(200);
    JsonNode content = doc.path("paths").path(path).path("get").path("responses").path("200").path("content");
    assertThat(content.has(response.contentType().split(";")[0].strip())).as(path + " " + response.contentType())
        .isTrue();
  }

  /** Each telemetry route, called for real, returns its documented status and the fields of its schema. */
  private static void telemetryAnswersMatchTheirSchemas(JsonNode doc, ApiClient anonymous, ApiClient admin) {
    JsonNode schemas = doc.path("components").path("schemas");
    Instant profileExisted = Instant.now();
    String secret = admin.post("/api/v1/devices/p1/credentials", "{}").json().path("token").asText();
    ApiClient device = anonymous.asDevice("p1", secret);
    // Recent enough that bucket queries read raw points while the lifecycle job runs (every second here).
    Instant hour = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
    ApiClient.Response accepted = device.post("/device/v1/telemetry", "[{\"ts\":\"" + hour + "\",\"t\":20.5,"
        + "\"on\":true,\"mode\":\"eco\",\"modes\":[1,2]},{\"ts\":" + hour.plusSeconds(60).toEpochMilli()
        + ",\"t\":21.5}]");
    assertDocumented(doc, "post", "/device/v1/telemetry", accepted);
    assertSameFields(schemas.path("TelemetryAccepted"), accepted.json());

    String range = "from=" + hour + "&to=" + hour.plus(1, ChronoUnit.HOURS);
    String points = "/api/v1/devices/p1/telemetry";
    ApiClient.Response page = admin.get(points + "?" + range + "&limit=4");
    assertDocumented(doc, "get", "/api/v1/devices/{id}/telemetry", page);
    assertThat(variant(schemas, "TelemetryResult", page.json())).isEqualTo("TelemetryPoints");
    assertThat(page.json().path("items")).hasSize(4).allSatisfy(p -> assertSameFields(schemas.path("TelemetryPoint"), p));
    assertThat(page.json().has("nextCursor")).isTrue();
    ApiClient.Response aggregates = admin.get(points + "?" + range
        + "&key=t&bucket=1h&agg=avg,min,max,sum,count,first,last");
    assertThat(aggregates.json().path("series")).as(aggregates.toString()).hasSize(1);
    JsonNode series = aggregates.json();
    assertThat(variant(schemas, "TelemetryResult", series)).isEqualTo("TelemetrySeries");
    JsonNode bucket = series.path("series").get(0).path("buckets").get(0);
    assertThat(bucket.size()).isEqualTo(schemas.path("TelemetryBucket").path("properties").size());
    assertSameFields(schemas.path("TelemetryBucket"), bucket);

    ApiClient.Response latest = admin.get("/api/v1/devices/p1/telemetry/latest");
    assertDocumented(doc, "get", "/api/v1/devices/{id}/telemetry/latest", latest);
    assertSameFields(schemas.path("LatestValues"), latest.json());
    assertThat(latest.json().path("items")).hasSize(4)
        .allSatisfy(v -> assertSameFields(schemas.path("LatestValue"), v));
    ApiClient.Response fleetLatest = admin.get("/api/v1/telemetry/latest?tag=site:north");
    assertDocumented(doc, "get", "/api/v1/telemetry/latest", fleetLatest);
    assertSameFields(schemas.path("LatestValues"), fleetLatest.json());

    ApiClient.Response fleet = admin.get("/api/v1/telemetry/fleet?key=t&groupBy=site&" + range);
    assertDocumented(doc, "get", "/api/v1/telemetry/fleet", fleet);
    assertSameFields(schemas.path("FleetAggregate"), fleet.json());
    assertSameFields(schemas.path("FleetAggregate").path("properties").path("items").path("items"),
        fleet.json().path("items").get(0));

    ApiClient.Response refused = device.send("POST", "/device/v1/telemetry", "not json", "application/json", null);
    assertThat(refused.status()).isEqualTo(422);
    assertSameFields(schemas.path("Problem"), refused.json());
    await().atMost(Duration.ofSeconds(5)).until(() ->
        !admin.get("/api/v1/telemetry/rejected").json().path("items").isEmpty());
    ApiClient.Response rejected = admin.get("/api/v1/telemetry/rejected");
    assertDocumented(doc, "get", "/api/v1/telemetry/rejected", rejected);
    assertSameFields(schemas.path("RejectedTelemetryPage"), rejected.json());
    assertThat(rejected.json().path("items").get(0).size())
        .isEqualTo(schemas.path("RejectedTelemetry").path("properties").size());
    assertSameFields(schemas.path("RejectedTelemetry"), rejected.json().path("items").get(0));

    ApiClient.Response export = admin.send("POST", "/api/v1/telemetry/exports?" + range, null, "application/json", null);
    assertDocumented(doc, "post", "/api/v1/telemetry/exports", export);
    assertSameFields(schemas.path("TelemetryExport"), export.json());

    // A run that started after the profile existed reports every tier; one before it may have reported none.
    await().atMost(Duration.ofSeconds(10)).until(() -> startedAfter(admin.get("/api/v1/telemetry/lifecycle").json(),
        profileExisted));
    ApiClient.Response lifecycle = admin.get("/api/v1/telemetry/lifecycle");
    assertDocumented(doc, "get", "/api/v1/telemetry/lifecycle", lifecycle);
    assertSameFields(schemas.path("TelemetryLifecycle"), lifecycle.json());
    assertThat(lifecycle.json().path("expired").size()).isEqualTo(3);
    assertSameFields(schemas.path("TelemetryLifecycle").path("properties").path("expired"),
        lifecycle.json().path("expired"));

    ApiClient.Response deleted = admin.delete(points);
    assertDocumented(doc, "delete", "/api/v1/devices/{id}/telemetry", deleted);
    assertSameFields(schemas.path("TelemetryDeleted"), deleted.json());
  }

  private static boolean startedAfter(JsonNode lifecycle, Instant instant) {
    return lifecycle.hasNonNull("startedAt") && Instant.parse(lifecycle.path("startedAt").asText()).isAfter(instant);
  }

  /** The response has the operation's documented success status and content. */
  private static void assertDocumented(JsonNode doc, String method, String path, ApiClient.Response response) {
    JsonNode responses = doc.path("paths").path(path).path(method).path("responses");
    assertThat(responses.has(Integer.toString(response.status()))).as(method + " " + path + " answered " + response)
        .isTrue();
    assertThat(response.contentType()).startsWith("application/json");
  }

  /** The one alternative of a oneOf schema whose fields the answer has; fails unless exactly one fits. */
  private static String variant(JsonNode schemas, String name, JsonNode actual) {
    List<String> fitting = new ArrayList<>();
    for (JsonNode alternative : schemas.path(name).path("oneOf")) {
      String ref = alternative.path("$ref").asText().substring("#/components/schemas/".length());
      JsonNode schema = schemas.path(ref);
      Set<String> documented = new TreeSet<>();
      schema.path("properties").fieldNames().forEachRemaining(documented::add);
      Set<String> returned = new TreeSet<>();
      actual.fieldNames().forEachRemaining(returned::add);
      boolean required = true;
      for (JsonNode r : schema.path("required")) {
        required &= returned.contains(r.asText());
      }
      if (documented.containsAll(returned) && required) {
        fitting.add(ref);
      }
    }
    assertThat(fitting).as(name + " alternatives fitting " + actual).hasSize(1);
    return fitting.get(0);
  }

  private static void assertSameFields(JsonNode schema, JsonNode actual) {
    Set<String> documented = new TreeSet<>();
    schema.path("properties").fieldNames().forEachRemaining(documented::add);
    Set<String> returned = new TreeSet<>();
    actual.fieldNames().forEachRemaining(returned::add);
    assertThat(documented).as("documented fields").containsAll(returned);
    schema.path("required").forEach(r -> assertThat(returned).as("required field").contains(r.asText()));
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject() && node.has("$ref")) {
      refs.add(node.get("$ref").asText());
    }
    node.forEach(child -> collectRefs(child, refs));
  }
}
