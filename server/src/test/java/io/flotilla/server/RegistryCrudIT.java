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

/** The create-read-update-delete life of every registry entity, through the REST API. */
@Timeout(60)
class RegistryCrudIT {
  @TempDir
  Path dataDir;
  FlotillaServer server;
  ApiClient admin;

  @BeforeEach
  void start() {
    server = TestServers.start(dataDir, Optional.empty());
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Tenants: a system admin renames and deletes them, with everything in them; nobody else can. */
  @Test
  void tenantsAreRenamedAndDeletedBySystemAdminsOnly() {
    JsonNode created = admin.post("/api/v1/tenants", "{\"id\":\"acme\"}").json();
    ApiClient acme = admin.as(created.path("adminToken").path("token").asText());
    acme.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
    acme.post("/api/v1/devices", "{\"id\":\"p1\",\"profile\":\"pump\"}");
    assertThat(acme.get("/api/v1/tenants").status()).isEqualTo(403);
    assertThat(acme.delete("/api/v1/tenants/acme").status()).isEqualTo(403);

    ApiClient.Response renamed = admin.patch("/api/v1/tenants/acme", "{\"name\":\"Acme Corp\"}", "\"1\"");
    assertThat(renamed.json().path("name").asText()).isEqualTo("Acme Corp");
    assertThat(admin.delete("/api/v1/tenants/default").status()).isEqualTo(409);
    assertThat(admin.delete("/api/v1/tenants/acme").status()).isEqualTo(204);
    assertThat(admin.get("/api/v1/tenants/acme").status()).isEqualTo(404);
    assertThat(acme.get("/api/v1/devices").status()).isEqualTo(401);
    JsonNode log = admin.get("/api/v1/audit?entityType=tenant&entityId=acme").json().path("items");
    assertThat(log).extracting(r -> r.path("action").asText())
        .containsExactly("tenant.delete", "tenant.update", "tenant.create");
  }

  /** Users: roles cannot be raised above one's own, disabling a user stops its tokens. */
  @Test
  void usersAreManagedWithinTheirRole() {
    JsonNode created = admin.post("/api/v1/tenants", "{\"id\":\"acme\"}").json();
    ApiClient acme = admin.as(created.path("adminToken").path("token").asText());
    assertThat(acme.post("/api/v1/users", "{\"id\":\"root\",\"role\":\"system_admin\"}").status()).isEqualTo(403);
    assertThat(acme.post("/api/v1/users", "{\"id\":\"olga\",\"role\":\"operator\"}").status()).isEqualTo(201);
    assertThat(acme.post("/api/v1/users", "{\"id\":\"olga\",\"role\":\"viewer\"}").status()).isEqualTo(409);
    ApiClient olga = acme.as(acme.post("/api/v1/tokens", "{\"userId\":\"olga\"}").json().path("token").asText());
    assertThat(olga.post("/api/v1/users", "{\"id\":\"x\",\"role\":\"viewer\"}").status()).isEqualTo(403);
    assertThat(olga.post("/api/v1/tokens", "{\"role\":\"tenant_admin\"}").status()).isEqualTo(403);
    assertThat(olga.get("/api/v1/tokens").json().path("items")).hasSize(1);

    assertThat(acme.patch("/api/v1/users/olga", "{\"disabled\":true}", null).status()).isEqualTo(200);
    assertThat(olga.get("/api/v1/devices").status()).isEqualTo(401);
    assertThat(acme.patch("/api/v1/users/admin", "{\"role\":\"viewer\"}", null).status()).isEqualTo(409);
    assertThat(acme.delete("/api/v1/users/olga").status()).isEqualTo(204);
    assertThat(acme.get("/api/v1/users").json().path("items")).extracting(u -> u.path("id").asText())
        .containsExactly("admin");
  }

  /** Profiles in use cannot be deleted; static groups take and release members; groups list their devices. */
  @Test
  void profilesAndStaticGroups() {
    admin.post("/api/v1/device-profiles", "{\"id\":\"pump\",\"defaultTwin\":{\"desired\":{\"rate\":5}}}");
    admin.post("/api/v1/devices", "{\"id\":\"p1\",\"profile\":\"pump\"}");
    admin.post("/api/v1/devices", "{\"id\":\"p2\",\"profile\":\"pump\"}");
    assertThat(admin.get("/api/v1/devices/p1/twin").json().path("desired").path("rate").asInt())
        .as("a new device's twin starts from its profile's default").isEqualTo(5);
    assertThat(admin.delete("/api/v1/device-profiles/pump").status()).isEqualTo(409);
    assertThat(admin.patch("/api/v1/device-profiles/pump", "{\"description\":\"Water pump\"}", "\"1\"")
        .json().path("description").asText()).isEqualTo("Water pump");

    assertThat(admin.post("/api/v1/groups", "{\"id\":\"line-1\"}").status()).isEqualTo(201);
    ApiClient.Response added = admin.post("/api/v1/groups/line-1/devices", "{\"deviceIds\":[\"p1\",\"p2\"]}");
    assertThat(added.json().path("added").asInt()).isEqualTo(2);
    ApiClient.Response unknown = admin.post("/api/v1/groups/line-1/devices", "{\"deviceIds\":[\"p9\"]}");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().path("detail").asText()).contains("p9");
    assertThat(admin.delete("/api/v1/groups/line-1/devices/p1").status()).isEqualTo(204);
    assertThat(admin.get("/api/v1/groups/line-1/devices").json().path("items"))
        .extracting(d -> d.path("id").asText()).containsExactly("p2");
    assertThat(admin.post("/api/v1/groups", "{\"id\":\"dyn\",\"type\":\"dynamic\"}").status()).isEqualTo(422);
    assertThat(admin.post("/api/v1/groups", "{\"id\":\"only-line\",\"type\":\"dynamic\","
        + "\"filter\":{\"memberOf\":\"line-1\",\"status\":\"provisioned\"}}").status()).isEqualTo(201);
    assertThat(admin.get("/api/v1/devices?group=only-line").json().path("items"))
        .extracting(d -> d.path("id").asText()).containsExactly("p2");
    assertThat(admin.get("/api/v1/devices?status=active").json().path("items")).isEmpty();
    assertThat(admin.delete("/api/v1/groups/line-1").status()).isEqualTo(409);
    assertThat(admin.delete("/api/v1/groups/only-line").status()).isEqualTo(204);
    assertThat(admin.delete("/api/v1/groups/line-1").status()).isEqualTo(204);
    assertThat(admin.get("/api/v1/devices/p1").status()).isEqualTo(200);
  }
}
