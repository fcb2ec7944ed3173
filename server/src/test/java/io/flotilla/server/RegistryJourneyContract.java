package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry as a new user meets it, through HTTP against a real server: the same journey on
 * every registry engine.
 */
@Timeout(120)
abstract class RegistryJourneyContract {
  @TempDir
  Path dataDir;
  FlotillaServer server;
  ApiClient admin;
  ApiClient acme;

  /** The registry URL for this engine; empty for the embedded default. */
  abstract Optional<String> dbUrl();

  /** A direct connection to the registry database, to tamper with it as an attacker with disk access would. */
  abstract Connection openDatabase() throws SQLException;

  @BeforeEach
  void startServerWithATenant() {
    server = TestServers.start(dataDir, dbUrl());
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    ApiClient.Response created = admin.post("/api/v1/tenants", "{\"id\":\"acme\",\"name\":\"Acme Pumps\"}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    acme = admin.as(created.json().path("adminToken").path("token").asText());
    assertThat(acme.post("/api/v1/device-profiles", "{\"id\":\"pump\",\"name\":\"Pump\","
        + "\"telemetrySchema\":{\"type\":\"object\"},\"classification\":{\"location\":\"pii\"}}").status())
        .isEqualTo(201);
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** A thousand devices arrive by CSV in one call, and paging through them returns each exactly once. */
  @Test
  void tenantAdminImportsAThousandDevicesAndPagesThroughThem() {
    ApiClient.Response imported = acme.postCsv("/api/v1/devices/bulk", csv(1000, -1));
    assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
    assertThat(imported.json().path("created").asInt()).isEqualTo(1000);

    List<String> ids = pageThrough(acme, "/api/v1/devices?limit=100");
    assertThat(ids).hasSize(1000).doesNotHaveDuplicates().isSorted();

    assertThat(acme.post("/api/v1/groups", "{\"id\":\"berlin\",\"type\":\"dynamic\","
        + "\"filter\":{\"tags\":{\"site\":\"berlin\"},\"profile\":\"pump\"}}").status()).isEqualTo(201);
    List<String> berlin = pageThrough(acme, "/api/v1/groups/berlin/devices?limit=70");
    assertThat(berlin).hasSize(500).allMatch(id -> Integer.parseInt(id.substring(5)) % 2 == 0);
    assertThat(pageThrough(acme, "/api/v1/devices?group=berlin&limit=1000")).isEqualTo(berlin);
    assertThat(pageThrough(acme, "/api/v1/devices?tag=site:paris&sort=-createdAt&limit=33")).hasSize(500);
  }

  /** Keyset cursors neither repeat nor skip rows when devices are added between two pages. */
  @Test
  void pagingStaysCorrectWhileDevicesAreAdded() {
    acme.postCsv("/api/v1/devices/bulk", csv(50, -1));
    JsonNode first = acme.get("/api/v1/devices?limit=20").json();
    String cursor = first.path("nextCursor").asText();
    acme.post("/api/v1/devices", "{\"id\":\"aaa-before\",\"profile\":\"pump\"}");
    acme.post("/api/v1/devices", "{\"id\":\"zzz-after\",\"profile\":\"pump\"}");
    List<String> rest = pageThrough(acme, "/api/v1/devices?limit=20&cursor=" + cursor);
    List<String> all = new ArrayList<>();
    first.path("items").forEach(d -> all.add(d.path("id").asText()));
    all.addAll(rest);
    assertThat(all).doesNotHaveDuplicates().hasSize(51).contains("zzz-after").doesNotContain("aaa-before");
  }

  /** An update with an ETag that is no longer current is refused with 412 and changes nothing. */
  @Test
  void staleETagIsRefusedWith412() {
    ApiClient.Response created = acme.post("/api/v1/devices", "{\"id\":\"pump-1\",\"profile\":\"pump\"}");
    assertThat(created.etag()).isEqualTo("\"1\"");
    ApiClient.Response updated = acme.patch("/api/v1/devices/pump-1", "{\"tags\":{\"site\":\"oslo\"}}", "\"1\"");
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.etag()).isEqualTo("\"2\"");
    ApiClient.Response stale = acme.patch("/api/v1/devices/pump-1", "{\"name\":\"late\"}", "\"1\"");
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.contentType()).startsWith("application/problem+json");
    assertThat(stale.json().path("detail").asText()).contains("version 2");
    JsonNode device = acme.get("/api/v1/devices/pump-1").json();
    assertThat(device.path("name").asText()).isEqualTo("pump-1");
    assertThat(device.path("tags").path("site").asText()).isEqualTo("oslo");
  }

  /** A viewer reads but cannot write. */
  @Test
  void viewerTokenGets403OnWrite() {
    assertThat(acme.post("/api/v1/users", "{\"id\":\"vera\",\"role\":\"viewer\"}").status()).isEqualTo(201);
    ApiClient.Response token = acme.post("/api/v1/tokens", "{\"userId\":\"vera\",\"name\":\"dashboard\"}");
    assertThat(token.status()).isEqualTo(201);
    ApiClient vera = acme.as(token.json().path("token").asText());
    assertThat(vera.get("/api/v1/devices").status()).isEqualTo(200);
    ApiClient.Response write = vera.post("/api/v1/devices", "{\"id\":\"x\",\"profile\":\"pump\"}");
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.json().path("type").asText()).endsWith("/forbidden");
    assertThat(acme.get("/api/v1/devices/x").status()).isEqualTo(404);
  }

  /** Another tenant's token cannot tell that a device exists. */
  @Test
  void otherTenantsTokenGets404ForThisTenantsDevice() {
    acme.post("/api/v1/devices", "{\"id\":\"secret-pump\",\"profile\":\"pump\"}");
    ApiClient.Response other = admin.post("/api/v1/tenants", "{\"id\":\"globex\"}");
    ApiClient globex = admin.as(other.json().path("adminToken").path("token").asText());
    assertThat(globex.get("/api/v1/devices/secret-pump").status()).isEqualTo(404);
    assertThat(globex.patch("/api/v1/devices/secret-pump", "{\"name\":\"mine\"}", null).status()).isEqualTo(404);
    assertThat(globex.delete("/api/v1/devices/secret-pump").status()).isEqualTo(404);
    assertThat(globex.get("/api/v1/devices").json().path("items")).isEmpty();
    assertThat(acme.get("/api/v1/devices/secret-pump").status()).isEqualTo(200);
  }

  /** A revoked token stops working at once. */
  @Test
  void revokedTokenGets401() {
    ApiClient.Response issued = acme.post("/api/v1/tokens", "{\"name\":\"ci\",\"role\":\"operator\"}");
    ApiClient ci = acme.as(issued.json().path("token").asText());
    assertThat(ci.get("/api/v1/whoami").json().path("role").asText()).isEqualTo("operator");
    assertThat(acme.delete("/api/v1/tokens/" + issued.json().path("id").asText()).status()).isEqualTo(204);
    ApiClient.Response refused = ci.get("/api/v1/devices");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.json().path("detail").asText()).contains("revoked");
  }

  /** The chain verifies after real changes, and an edit made directly in the database is detected. */
  @Test
  void auditChainVerifiesAndDetectsARowAlteredInTheDatabase() throws SQLException {
    acme.post("/api/v1/devices", "{\"id\":\"pump-1\",\"profile\":\"pump\"}");
    acme.patch("/api/v1/devices/pump-1", "{\"status\":\"active\"}", null);
    acme.delete("/api/v1/devices/pump-1");
    JsonNode history = acme.get("/api/v1/audit?entityType=device&entityId=pump-1").json().path("items");
    assertThat(history).extracting(r -> r.path("action").asText())
        .containsExactly("device.delete", "device.update", "device.create");
    assertThat(history.get(1).path("after").path("status").asText()).isEqualTo("active");
    JsonNode ok = acme.get("/api/v1/audit/verify").json();
    assertThat(ok.path("valid").asBoolean()).as(ok.toString()).isTrue();
    long seq = history.get(1).path("seq").asLong();

    try (Connection db = openDatabase(); Statement st = db.createStatement()) {
      int changed = st.executeUpdate("UPDATE audit_log SET after_state = REPLACE(after_state, 'active', 'suspended')"
          + " WHERE tenant_id = 'acme' AND seq = " + seq);
      assertThat(changed).isEqualTo(1);
    }
    JsonNode broken = acme.get("/api/v1/audit/verify").json();
    assertThat(broken.path("valid").asBoolean()).isFalse();
    assertThat(broken.path("firstBadSeq").asLong()).isEqualTo(seq);
    assertThat(broken.path("detail").asText()).contains("altered");
  }

  /** Bad requests get specific errors and leave the registry as it was. */
  @Test
  void badInputGetsAClearErrorAndChangesNothing() {
    ApiClient.Response malformed = acme.post("/api/v1/devices", "{\"id\":\"a\",");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().path("detail").asText()).contains("not valid JSON");

    ApiClient.Response unknown = acme.post("/api/v1/devices", "{\"id\":\"a\",\"profile\":\"pump\",\"colour\":\"red\"}");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().path("errors").get(0).path("field").asText()).isEqualTo("colour");

    ApiClient.Response illegal = acme.post("/api/v1/devices", "{\"id\":\"a/b#c\",\"profile\":\"pump\"}");
    assertThat(illegal.status()).isEqualTo(422);
    assertThat(illegal.json().path("errors").get(0).path("field").asText()).isEqualTo("id");

    ApiClient.Response noProfile = acme.post("/api/v1/devices", "{\"id\":\"a\",\"profile\":\"valve\"}");
    assertThat(noProfile.status()).isEqualTo(422);
    assertThat(noProfile.json().path("errors").get(0).path("message").asText()).contains("valve");

    String big = "{\"id\":\"a\",\"profile\":\"pump\",\"attributes\":{\"blob\":\"" + "x".repeat(1_100_000) + "\"}}";
    assertThat(acme.post("/api/v1/devices", big).status()).isEqualTo(413);

    ApiClient.Response badCsv = acme.postCsv("/api/v1/devices/bulk", csv(1000, 617));
    assertThat(badCsv.status()).as(badCsv.toString()).isEqualTo(422);
    JsonNode rows = badCsv.json().path("rows");
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).path("row").asInt()).isEqualTo(617);
    assertThat(rows.get(0).path("field").asText()).isEqualTo("id");
    assertThat(badCsv.json().path("detail").asText()).contains("nothing was imported");

    assertThat(acme.get("/api/v1/devices").json().path("items")).isEmpty();
  }

  /** Health, metrics and the OpenAPI document are served without a token; the API itself is not. */
  @Test
  void operationsEndpointsAnswerAndTheApiNeedsAToken() {
    ApiClient anonymous = new ApiClient(server.httpPort(), Optional.empty());
    assertThat(anonymous.get("/health/live").status()).isEqualTo(200);
    ApiClient.Response ready = anonymous.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().path("status").asText()).isEqualTo("up");
    ApiClient.Response refused = anonymous.get("/api/v1/devices");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(anonymous.get("/metrics").body())
        .contains("flotilla_http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/devices\",status=\"401\"}");
    JsonNode openApi = anonymous.get("/api/openapi.json").json();
    assertThat(openApi.path("paths").has("/api/v1/devices/{id}")).isTrue();
    assertThat(openApi.path("paths").path("/api/v1/devices/bulk").has("post")).isTrue();
  }

  /** Every device of the CSV has an even/odd site; {@code badRow} (1-based) gets an illegal id. */
  static String csv(int count, int badRow) {
    StringBuilder csv = new StringBuilder("id,profile,name,tag:site,attr:serial\n");
    for (int i = 1; i <= count; i++) {
      String id = i == badRow ? "bad id!" : String.format("pump-%04d", i);
      csv.append(id).append(",pump,\"Pump, number ").append(i).append("\",").append(i % 2 == 0 ? "berlin" : "paris")
          .append(",S").append(i).append('\n');
    }
    return csv.toString();
  }

  static List<String> pageThrough(ApiClient client, String firstPage) {
    List<String> ids = new ArrayList<>();
    Set<String> cursors = new HashSet<>();
    String next = firstPage;
    while (next != null) {
      ApiClient.Response page = client.get(next);
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      page.json().path("items").forEach(d -> ids.add(d.path("id").asText()));
      JsonNode cursor = page.json().path("nextCursor");
      if (cursor.isMissingNode()) {
        next = null;
      } else {
        assertThat(cursors.add(cursor.asText())).as("cursor repeated").isTrue();
        String base = firstPage.replaceAll("&cursor=[^&]*", "");
        next = base + "&cursor=" + URLEncoder.encode(cursor.asText(), StandardCharsets.UTF_8);
      }
    }
    return ids;
  }
}
