package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bring your own CA and just-in-time registration, the way a device maker meets them: openssl makes the CA, the
 * verification certificate for the registration code and the device certificates; mosquitto connects over MQTTS
 * with a certificate the platform has never seen, and the device appears by the CA's template.
 */
@Timeout(240)
class JustInTimeRegistrationIT {
  @TempDir
  Path dataDir;
  @TempDir
  Path work;
  FlotillaServer server;
  ApiClient admin;
  Path serverCa;

  @BeforeEach
  void start() throws Exception {
    server = TestServers.start(dataDir, Optional.empty());
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    admin.post("/api/v1/device-profiles", "{\"id\":\"meter\"}");
    admin.post("/api/v1/groups", "{\"id\":\"field\",\"type\":\"static\"}");
    serverCa = Files.writeString(work.resolve("server-ca.pem"), admin.get("/api/v1/server/ca.pem").body(),
        StandardCharsets.US_ASCII);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * A device certificate from the tenant's registered CA registers the device on its first connect, by the
   * template (profile, tags, group), with the certificate as its credential; its telemetry is stored. The
   * registration is audited. A certificate from a CA nobody registered is refused and registers nothing.
   */
  @Test
  void deviceFromARegisteredCaRegistersOnFirstConnect() throws Exception {
    OwnCa ca = OwnCa.make(work, "acme-ca", "/O=Acme/CN=Acme Device CA");
    ApiClient.Response registered = ca.register(admin, "{\"profile\":\"meter\",\"groups\":[\"field\"],"
        + "\"tags\":{\"site\":\"north\"},\"idFrom\":\"cn\",\"approval\":\"auto\"}");
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    assertThat(registered.json().path("status").asText()).isEqualTo("active");
    assertThat(registered.json().path("subject").asText()).contains("cn=acme device ca");

    Path cert = ca.sign("meter-7", "/O=Acme/CN=meter-7");
    MosquittoClients.Run published = MosquittoClients.run(mqtts("mosquitto_pub", "meter-7", cert,
        ca.deviceKey("meter-7"), "-t", "devices/meter-7/telemetry", "-m", "{\"kwh\":12.5}", "-q", "1"));
    assertThat(published.exitCode()).as(published.output()).isZero();

    JsonNode device = admin.get("/api/v1/devices/meter-7").json();
    assertThat(device.path("profile").asText()).isEqualTo("meter");
    assertThat(device.path("status").asText()).isEqualTo("active");
    assertThat(device.path("tags").path("site").asText()).isEqualTo("north");
    assertThat(admin.get("/api/v1/groups/field/devices").json().path("items").findValuesAsText("id"))
        .contains("meter-7");
    assertThat(admin.get("/api/v1/devices/meter-7/credentials").json().path("items")).singleElement()
        .satisfies(c -> assertThat(c.path("type").asText()).isEqualTo("x509"));
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
        admin.get("/api/v1/devices/meter-7/telemetry/latest").json().path("items").findValuesAsText("key"))
        .contains("kwh"));
    assertThat(admin.get("/api/v1/audit?limit=100").json().path("items").findValuesAsText("action"))
        .contains("ca.register", "device.jit-registered");

    MosquittoClients.Run again = MosquittoClients.run(mqtts("mosquitto_pub", "meter-7", cert, ca.deviceKey("meter-7"),
        "-t", "devices/meter-7/telemetry", "-m", "{\"kwh\":13}", "-q", "1"));
    assertThat(again.exitCode()).as("a known certificate goes the usual way: " + again.output()).isZero();
    assertThat(admin.get("/api/v1/devices/meter-7/credentials").json().path("items")).hasSize(1);

    OwnCa stranger = OwnCa.make(work, "stranger-ca", "/O=Acme/CN=Acme Device CA");
    Path forged = stranger.sign("meter-8", "/O=Acme/CN=meter-8");
    MosquittoClients.Run refused = MosquittoClients.run(mqtts("mosquitto_pub", "meter-8", forged,
        stranger.deviceKey("meter-8"), "-t", "devices/meter-8/telemetry", "-m", "{\"kwh\":1}", "-q", "1"));
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output().toLowerCase()).contains("bad user name or password");
    assertThat(admin.get("/api/v1/devices/meter-8").status()).isEqualTo(404);

    assertThat(admin.delete("/api/v1/devices/meter-7").status()).isEqualTo(204);
    MosquittoClients.Run retired = MosquittoClients.run(mqtts("mosquitto_pub", "meter-7", cert,
        ca.deviceKey("meter-7"), "-t", "devices/meter-7/telemetry", "-m", "{\"kwh\":14}", "-q", "1"));
    assertThat(retired.exitCode()).as("a deleted device's id is tombstoned: " + retired.output()).isNotZero();
    assertThat(admin.get("/api/v1/devices/meter-7").status()).as("not registered again").isEqualTo(404);
  }

  /**
   * A device registered just in time starts with its first desired state: its profile's default twin overlaid with
   * the template's initial twin. The device finds the delta on its first subscription, on the connection that
   * registered it, and the seed is the twin's first version.
   */
  @Test
  void aDeviceRegisteredJustInTimeStartsWithItsProfilesAndTemplatesDesiredState() throws Exception {
    admin.post("/api/v1/device-profiles", "{\"id\":\"dosing\",\"defaultTwin\":{\"desired\":{\"mode\":\"eco\","
        + "\"interval\":30}}}");
    OwnCa ca = OwnCa.make(work, "twin-ca", "/CN=Acme Twin CA");
    assertThat(ca.register(admin, "{\"profile\":\"dosing\",\"initialTwin\":{\"interval\":60,\"pump\":"
        + "{\"rate\":2}}}").status()).isEqualTo(201);
    Path cert = ca.sign("doser-1", "/CN=doser-1");

    MosquittoClients.Run delta = MosquittoClients.run(mqtts("mosquitto_sub", "doser-1", cert, ca.deviceKey("doser-1"),
        "-t", "devices/doser-1/twin/delta", "-C", "1", "-W", "15"));

    assertThat(delta.exitCode()).as(delta.output()).isZero();
    JsonNode pushed = io.flotilla.core.json.Json.readTrusted(delta.output().strip());
    JsonNode expected = io.flotilla.core.json.Json.readTrusted("{\"mode\":\"eco\",\"interval\":60,\"pump\":"
        + "{\"rate\":2}}");
    assertThat(pushed.path("delta")).isEqualTo(expected);
    JsonNode twin = admin.get("/api/v1/devices/doser-1/twin").json();
    assertThat(twin.path("desired")).isEqualTo(expected);
    assertThat(twin.path("version").asLong()).isEqualTo(1);
    assertThat(admin.get("/api/v1/devices/doser-1/twin/history").json().path("items").get(0).path("actor").asText())
        .startsWith("registered-ca:");
  }

  /**
   * With approval pending, the first connect registers the device as pending and is refused as not authorized;
   * once an operator sets it active, it connects. Revoking its certificate then refuses it again.
   */
  @Test
  void pendingDeviceConnectsOnlyOnceApproved() throws Exception {
    OwnCa ca = OwnCa.make(work, "acme-ca", "/CN=Acme Pending CA");
    ApiClient.Response registered = ca.register(admin, "{\"profile\":\"meter\",\"approval\":\"pending\"}");
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    Path cert = ca.sign("meter-9", "/CN=meter-9");
    String[] publish = mqtts("mosquitto_pub", "meter-9", cert, ca.deviceKey("meter-9"), "-t",
        "devices/meter-9/telemetry", "-m", "{\"kwh\":1}", "-q", "1");

    MosquittoClients.Run first = MosquittoClients.run(publish);
    assertThat(first.exitCode()).isNotZero();
    assertThat(first.output().toLowerCase()).contains("not authorized");
    assertThat(admin.get("/api/v1/devices/meter-9").json().path("status").asText()).isEqualTo("pending");
    MosquittoClients.Run stillPending = MosquittoClients.run(publish);
    assertThat(stillPending.output().toLowerCase()).contains("not authorized");

    ApiClient.Response approved = admin.patch("/api/v1/devices/meter-9", "{\"status\":\"active\"}", null);
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    MosquittoClients.Run afterApproval = MosquittoClients.run(publish);
    assertThat(afterApproval.exitCode()).as(afterApproval.output()).isZero();

    String credential = admin.get("/api/v1/devices/meter-9/credentials").json().path("items").get(0).path("id")
        .asText();
    assertThat(admin.delete("/api/v1/devices/meter-9/credentials/" + credential).status()).isEqualTo(204);
    MosquittoClients.Run revoked = MosquittoClients.run(publish);
    assertThat(revoked.exitCode()).isNotZero();
    assertThat(revoked.output().toLowerCase()).contains("bad user name or password");
  }

  /**
   * Tenant B's CA registers its devices in tenant B only; tenant A never sees them. A CA's key belongs to one
   * tenant: tenant A cannot register B's CA, and a verification certificate for another tenant's code fails.
   */
  @Test
  void certificateFromAnotherTenantsCaLandsInThatTenantOnly() throws Exception {
    ApiClient beta = admin.as(admin.post("/api/v1/tenants", "{\"id\":\"beta\"}").json().path("adminToken")
        .path("token").asText());
    beta.post("/api/v1/device-profiles", "{\"id\":\"meter\"}");
    OwnCa betaCa = OwnCa.make(work, "beta-ca", "/CN=Beta Device CA");
    assertThat(betaCa.register(beta, "{\"profile\":\"meter\"}").status()).isEqualTo(201);

    ApiClient.Response stolen = betaCa.register(admin, "{\"profile\":\"meter\"}");
    assertThat(stolen.status()).as(stolen.body()).isEqualTo(409);
    String betaCode = beta.post("/api/v1/ca/registration-codes", "").json().path("code").asText();
    OwnCa mine = OwnCa.make(work, "mine-ca", "/CN=Mine");
    Path forOtherTenant = mine.sign("v-other", "/CN=" + betaCode);
    ApiClient.Response wrongCode = admin.post("/api/v1/ca/registrations", mine.body(forOtherTenant,
        "{\"profile\":\"meter\"}"));
    assertThat(wrongCode.status()).isEqualTo(422);
    assertThat(wrongCode.json().path("errors").get(0).path("field").asText()).isEqualTo("verificationCertificatePem");

    Path cert = betaCa.sign("meter-1", "/CN=meter-1");
    MosquittoClients.Run published = MosquittoClients.run(mqtts("mosquitto_pub", "meter-1", cert,
        betaCa.deviceKey("meter-1"), "-t", "devices/meter-1/telemetry", "-m", "{\"kwh\":2}", "-q", "1"));
    assertThat(published.exitCode()).as(published.output()).isZero();
    assertThat(beta.get("/api/v1/devices/meter-1").status()).isEqualTo(200);
    assertThat(admin.get("/api/v1/devices/meter-1").status()).isEqualTo(404);
  }

  /** Registration checks the CA and the proof, saying what is wrong; viewers and operators cannot register. */
  @Test
  void registrationRefusesWhatIsNotAProvenCa() throws Exception {
    OwnCa ca = OwnCa.make(work, "acme-ca", "/CN=Acme");
    ApiClient operator = admin.as(admin.post("/api/v1/tokens", "{\"name\":\"o\",\"role\":\"operator\"}").json()
        .path("token").asText());
    assertThat(operator.post("/api/v1/ca/registration-codes", "").status()).isEqualTo(403);

    Path selfMadeCode = ca.sign("v-guess", "/CN=reg_guessed");
    ApiClient.Response guessed = admin.post("/api/v1/ca/registrations", ca.body(selfMadeCode, "{\"profile\":\"meter\"}"));
    assertThat(guessed.status()).isEqualTo(422);

    Path leaf = ca.sign("not-a-ca", "/CN=not-a-ca");
    OwnCa notCa = new OwnCa(ca.deviceKey("not-a-ca"), leaf, work);
    ApiClient.Response refused = notCa.register(admin, "{\"profile\":\"meter\"}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body()).contains("caCertificatePem").contains("basicConstraints");

    ApiClient.Response noProfile = ca.register(admin, "{\"profile\":\"nope\"}");
    assertThat(noProfile.status()).isEqualTo(422);
    assertThat(noProfile.body()).contains("template.profile");

    JsonNode ok = ca.register(admin, "{\"profile\":\"meter\",\"initialTwin\":{\"interval\":60}}").json();
    assertThat(ok.path("template").path("initialTwin").path("interval").asInt()).isEqualTo(60);
    String path = "/api/v1/ca/registrations/" + ok.path("id").asText();
    ApiClient.Response inactive = admin.patch(path, "{\"status\":\"inactive\"}", null);
    assertThat(inactive.json().path("status").asText()).isEqualTo("inactive");
    Path cert = ca.sign("meter-3", "/CN=meter-3");
    MosquittoClients.Run refusedWhileInactive = MosquittoClients.run(mqtts("mosquitto_pub", "meter-3", cert,
        ca.deviceKey("meter-3"), "-t", "devices/meter-3/telemetry", "-m", "{\"kwh\":2}", "-q", "1"));
    assertThat(refusedWhileInactive.exitCode()).isNotZero();
    assertThat(admin.get("/api/v1/devices/meter-3").status()).isEqualTo(404);
    assertThat(admin.get("/api/v1/ca/registrations").json().path("items")).hasSize(1);
    assertThat(admin.delete(path).status()).isEqualTo(204);
    assertThat(admin.get(path).status()).isEqualTo(404);
  }

  /** The HTTPS device door registers just in time too: curl with the new certificate posts telemetry. */
  @Test
  void httpsDoorRegistersJustInTime() throws Exception {
    OwnCa ca = OwnCa.make(work, "acme-ca", "/CN=Acme HTTPS CA");
    assertThat(ca.register(admin, "{\"profile\":\"meter\",\"idFrom\":\"san-dns\"}").status()).isEqualTo(201);
    Path cert = ca.sign("meter-5", "/CN=ignored", "subjectAltName=DNS:meter-5.acme");

    Curl.Run posted = Curl.run("--cacert", serverCa.toString(), "--cert", cert.toString(), "--key",
        ca.deviceKey("meter-5").toString(), "-H", "Content-Type: application/json", "-d", "{\"kwh\":3}",
        "https://127.0.0.1:" + server.httpsPort() + "/device/v1/telemetry");
    assertThat(posted.status()).as(posted.body()).isEqualTo(200);
    assertThat(admin.get("/api/v1/devices/meter-5.acme").json().path("profile").asText()).isEqualTo("meter");
    assertThat(admin.get("/api/v1/devices/ignored").status()).isEqualTo(404);
  }

  private String[] mqtts(String tool, String clientId, Path cert, Path key, String... more) {
    List<String> args = new ArrayList<>(MosquittoClients.args(tool, server.mqttsPort(), "mqttv5", clientId, null,
        null));
    args.addAll(List.of("--cafile", serverCa.toString(), "--cert", cert.toString(), "--key", key.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }
}
