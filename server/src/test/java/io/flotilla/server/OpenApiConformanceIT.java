package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.device.DeviceConnection;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.tenant.TenantId;
import java.nio.file.Path;
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
  void documentMatchesTheServer() {
    try (FlotillaServer server = TestServers.start(dataDir, Optional.empty())) {
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
      JsonNode device = admin.post("/api/v1/devices", "{\"id\":\"p1\",\"profile\":\"pump\"}").json();
      JsonNode group = admin.post("/api/v1/groups", "{\"id\":\"g\",\"type\":\"dynamic\",\"filter\":{\"profile\":\"pump\"}}")
          .json();
      JsonNode token = admin.post("/api/v1/tokens", "{\"name\":\"t\",\"expiresInSeconds\":60}").json();
      assertSameFields(schemas.path("Device"), device);
      assertSameFields(schemas.path("Profile"), admin.get("/api/v1/device-profiles/pump").json());
      assertSameFields(schemas.path("Group"), group);
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
    }
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
