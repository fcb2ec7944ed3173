package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tenant topic ACL rules through the REST API: versions, validation, roles, tenancy and audit. */
@Timeout(60)
class TopicRuleApiIT {
  private static final String RULES = "/api/v1/acl/rules";

  @TempDir
  Path dataDir;
  FlotillaServer server;
  ApiClient admin;

  @BeforeEach
  void start() {
    server = TestServers.start(dataDir, Optional.empty());
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    assertThat(admin.post("/api/v1/device-profiles", "{\"id\":\"pump\"}").status()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Create, read, list, change with If-Match (a stale one is 412), delete; each change audited in order. */
  @Test
  void ruleLivesThroughItsVersions() {
    ApiClient.Response created = admin.post(RULES, "{\"id\":\"alerts\",\"description\":\"alarms out\","
        + "\"topicFilter\":\"fleet/alerts/#\",\"actions\":[\"subscribe\",\"publish\"],\"profileId\":\"pump\"}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.etag()).isEqualTo("\"1\"");
    JsonNode rule = created.json();
    assertThat(rule.path("topicFilter").asText()).isEqualTo("fleet/alerts/#");
    assertThat(rule.path("actions")).extracting(JsonNode::asText).containsExactly("publish", "subscribe");
    assertThat(rule.path("profileId").asText()).isEqualTo("pump");

    assertThat(admin.get(RULES + "/alerts").json()).isEqualTo(rule);
    assertThat(admin.get(RULES).json().path("items")).extracting(r -> r.path("id").asText()).containsExactly("alerts");
    JsonNode generated = admin.post(RULES, "{\"topicFilter\":\"status/{deviceId}\",\"actions\":[\"publish\"]}").json();
    assertThat(generated.path("id").asText()).startsWith("rule_");
    assertThat(generated.has("profileId")).isFalse();

    ApiClient.Response changed = admin.patch(RULES + "/alerts", "{\"profileId\":null,\"actions\":[\"publish\"]}",
        "\"1\"");
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    assertThat(changed.etag()).isEqualTo("\"2\"");
    assertThat(changed.json().has("profileId")).isFalse();
    assertThat(changed.json().path("actions")).extracting(JsonNode::asText).containsExactly("publish");
    assertThat(admin.patch(RULES + "/alerts", "{\"description\":\"late\"}", "\"1\"").status()).isEqualTo(412);
    assertThat(admin.send("DELETE", RULES + "/alerts", null, "application/json", "\"1\"").status()).isEqualTo(412);

    assertThat(admin.delete(RULES + "/alerts").status()).isEqualTo(204);
    assertThat(admin.get(RULES + "/alerts").status()).isEqualTo(404);
    JsonNode log = admin.get("/api/v1/audit?entityType=topic-rule&entityId=alerts").json().path("items");
    assertThat(log).extracting(r -> r.path("action").asText())
        .containsExactly("topic-rule.delete", "topic-rule.update", "topic-rule.create");
  }

  /** Filters that would reach device namespaces, system topics or everything are 422 on field topicFilter. */
  @Test
  void filtersBeyondOrdinaryTopicsAreRefused() {
    for (String filter : new String[] {"devices/#", "#", "+/status", "$SYS/#", "devices/pump-1/commands",
        "{deviceId}/x", "fleet/a#", "fleet/#/x"}) {
      ApiClient.Response refused = admin.post(RULES, "{\"topicFilter\":\"" + filter + "\",\"actions\":[\"publish\"]}");
      assertThat(refused.status()).as(filter).isEqualTo(422);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(refused.json().path("errors").get(0).path("field").asText()).as(filter).isEqualTo("topicFilter");
    }
    assertThat(admin.post(RULES, "{\"topicFilter\":\"devices/#\",\"actions\":[\"publish\"]}").json()
        .path("errors").get(0).path("message").asText()).contains("device namespaces");
    JsonNode several = admin.post(RULES, "{\"topicFilter\":\"fleet\",\"actions\":[\"read\"],\"profileId\":\"nope x\","
        + "\"colour\":\"red\"}").json();
    assertThat(several.path("errors")).extracting(e -> e.path("field").asText())
        .contains("actions[0]", "profileId", "colour");
    assertThat(admin.post(RULES, "{\"topicFilter\":\"fleet\"}").json().path("errors").get(0).path("field").asText())
        .isEqualTo("actions");
    ApiClient.Response unknownProfile = admin.post(RULES, "{\"topicFilter\":\"fleet\",\"actions\":[\"publish\"],"
        + "\"profileId\":\"valve\"}");
    assertThat(unknownProfile.status()).isEqualTo(422);
    assertThat(unknownProfile.json().path("errors").get(0).path("field").asText()).isEqualTo("profileId");
    assertThat(admin.patch(RULES + "/none", "{\"topicFilter\":\"#\"}", null).status()).isEqualTo(404);
    assertThat(admin.post(RULES, "{\"id\":\"r\",\"topicFilter\":\"fleet\",\"actions\":[\"publish\"]}").status())
        .isEqualTo(201);
    assertThat(admin.patch(RULES + "/r", "{\"topicFilter\":\"devices/+/x\"}", null).status()).isEqualTo(422);
    assertThat(admin.post(RULES, "{\"id\":\"r\",\"topicFilter\":\"other\",\"actions\":[\"publish\"]}").status())
        .isEqualTo(409);
    assertThat(admin.get(RULES + "/r").json().path("topicFilter").asText()).isEqualTo("fleet");
  }

  /** Tenant admins manage rules; operators and viewers only read them; another tenant sees none of them. */
  @Test
  void onlyTenantAdminsManageRulesAndTenantsStayApart() {
    assertThat(admin.post(RULES, "{\"id\":\"r\",\"topicFilter\":\"fleet\",\"actions\":[\"publish\"]}").status())
        .isEqualTo(201);
    admin.post("/api/v1/users", "{\"id\":\"olga\",\"role\":\"operator\"}");
    admin.post("/api/v1/users", "{\"id\":\"vera\",\"role\":\"viewer\"}");
    ApiClient olga = admin.as(admin.post("/api/v1/tokens", "{\"userId\":\"olga\"}").json().path("token").asText());
    ApiClient vera = admin.as(admin.post("/api/v1/tokens", "{\"userId\":\"vera\"}").json().path("token").asText());
    assertThat(olga.get(RULES).json().path("items")).hasSize(1);
    assertThat(vera.get(RULES + "/r").status()).isEqualTo(200);
    assertThat(olga.post(RULES, "{\"topicFilter\":\"x\",\"actions\":[\"publish\"]}").status()).isEqualTo(403);
    assertThat(olga.patch(RULES + "/r", "{\"topicFilter\":\"x/#\"}", null).status()).isEqualTo(403);
    assertThat(olga.delete(RULES + "/r").status()).isEqualTo(403);
    assertThat(vera.delete(RULES + "/r").status()).isEqualTo(403);

    ApiClient acme = admin.as(admin.post("/api/v1/tenants", "{\"id\":\"acme\"}").json().path("adminToken")
        .path("token").asText());
    assertThat(acme.get(RULES + "/r").status()).isEqualTo(404);
    assertThat(acme.get(RULES).json().path("items")).isEmpty();
    assertThat(acme.delete(RULES + "/r").status()).isEqualTo(404);
    assertThat(admin.get(RULES + "/r").json().path("version").asInt()).isEqualTo(1);
  }

  /** A profile that a rule names cannot be deleted, so that a later profile of the same id inherits no grants. */
  @Test
  void profileNamedByARuleCannotBeDeleted() {
    admin.post(RULES, "{\"id\":\"pumps\",\"topicFilter\":\"pumps/#\",\"actions\":[\"publish\"],\"profileId\":\"pump\"}");
    ApiClient.Response refused = admin.delete("/api/v1/device-profiles/pump");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().path("detail").asText()).contains("pumps");
    assertThat(admin.delete(RULES + "/pumps").status()).isEqualTo(204);
    assertThat(admin.delete("/api/v1/device-profiles/pump").status()).isEqualTo(204);
  }
}
