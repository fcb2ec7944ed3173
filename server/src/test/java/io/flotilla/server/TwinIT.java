package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device twins as a new user meets them: an operator sets desired through the REST API, the device sees the delta
 * with mosquitto_sub, reports with mosquitto_pub (or Paho, or HTTP) and the delta shrinks; bad input gets a
 * specific refusal and changes nothing; the fleet is listed by twin values.
 */
@Timeout(120)
class TwinIT {
  @TempDir
  Path dataDir;
  FlotillaServer server;
  ApiClient admin;
  final Map<String, String> tokens = new ConcurrentHashMap<>();
  final List<MqttAsyncClient> pahoClients = new ArrayList<>();

  @BeforeEach
  void startServerWithPumps() {
    server = FlotillaServer.start(TestServers.config(dataDir));
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    assertThat(admin.post("/api/v1/device-profiles", "{\"id\":\"pump\"}").status()).isEqualTo(201);
    for (String id : List.of("p-1", "p-2", "p-3")) {
      assertThat(admin.post("/api/v1/devices", "{\"id\":\"" + id + "\",\"profile\":\"pump\"}").status())
          .isEqualTo(201);
      tokens.put(id, admin.post("/api/v1/devices/" + id + "/credentials", "{}").json().path("token").asText());
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (MqttAsyncClient client : pahoClients) {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(2000);
      }
      client.close();
    }
    server.close();
  }

  /**
   * The issue's walk-through: desired set through the API arrives at the device's mosquitto_sub as a delta; a
   * report with mosquitto_pub shrinks it (a device subscribing later gets the smaller delta, retained), and a
   * report that matches everything clears it; the history lists every change newest first.
   */
  @Test
  void desiredReachesMosquittoSubAndReportsShrinkTheDelta() {
    MosquittoClients.Started sub = deviceSub("p-1", "devices/p-1/twin/delta", 15);
    await().atMost(Duration.ofSeconds(10)).until(() -> subscriptions("p-1") == 1);

    ApiClient.Response patched = admin.patch("/api/v1/devices/p-1/twin",
        "{\"desired\":{\"mode\":\"eco\",\"threshold\":5}}", "\"0\"");
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(patched.etag()).isEqualTo("\"1\"");
    assertThat(patched.json().path("delta")).isEqualTo(Json.readTrusted("{\"mode\":\"eco\",\"threshold\":5}"));
    MosquittoClients.Run delta = MosquittoClients.finish(sub);
    assertThat(delta.exitCode()).as(delta.output()).isZero();
    assertThat(Json.readTrusted(delta.output().trim()))
        .isEqualTo(Json.readTrusted("{\"version\":1,\"delta\":{\"mode\":\"eco\",\"threshold\":5}}"));

    MosquittoClients.Run report = devicePub("p-1", "devices/p-1/twin/report",
        "{\"reported\":{\"mode\":\"eco\",\"firmware\":{\"version\":\"1.4.2\"}},\"clientToken\":\"r1\"}");
    assertThat(report.exitCode()).as(report.output()).isZero();
    JsonNode twin = admin.get("/api/v1/devices/p-1/twin").json();
    assertThat(twin.path("version").asLong()).isEqualTo(2);
    assertThat(twin.path("delta")).isEqualTo(Json.readTrusted("{\"threshold\":5}"));
    assertThat(twin.path("reported").path("firmware").path("version").asText()).isEqualTo("1.4.2");
    assertThat(twin.path("metadata").path("reported").path("firmware").path("version").path("updatedAt").asText())
        .isNotEmpty();
    assertThat(twin.path("metadata").path("desired").path("threshold").path("updatedAt").asText()).isNotEmpty();

    MosquittoClients.Run later = MosquittoClients.finish(deviceSub("p-1", "devices/p-1/twin/delta", 5));
    assertThat(Json.readTrusted(later.output().trim()))
        .isEqualTo(Json.readTrusted("{\"version\":2,\"delta\":{\"threshold\":5}}"));

    assertThat(devicePub("p-1", "devices/p-1/twin/report", "{\"reported\":{\"threshold\":5}}").exitCode()).isZero();
    assertThat(admin.get("/api/v1/devices/p-1/twin").json().path("delta").isEmpty()).isTrue();
    MosquittoClients.Run none = MosquittoClients.finish(deviceSub("p-1", "devices/p-1/twin/delta", 2));
    assertThat(none.output().trim()).isEqualTo("Timed out");

    JsonNode history = admin.get("/api/v1/devices/p-1/twin/history?limit=2").json();
    assertThat(history.path("items")).extracting(i -> i.path("version").asLong() + " " + i.path("section").asText()
        + " " + i.path("actor").asText()).containsExactly("3 reported device:p-1", "2 reported device:p-1");
    assertThat(history.path("items").get(0).path("patch")).isEqualTo(Json.readTrusted("{\"threshold\":5}"));
    JsonNode older = admin.get("/api/v1/devices/p-1/twin/history?limit=2&cursor="
        + history.path("nextCursor").asText()).json();
    assertThat(older.path("items")).hasSize(1);
    assertThat(older.path("items").get(0).path("section").asText()).isEqualTo("desired");
    assertThat(older.path("items").get(0).path("actor").asText()).startsWith("user:admin/");
    assertThat(older.has("nextCursor")).isFalse();
  }

  /**
   * Over MQTT 5 a device reads its twin with its client token echoed; a report with invalid JSON, one too deep,
   * one too large and one with a stale version are each refused with PUBACK 0x99 and a specific answer on
   * …/report/rejected, and the twin is left as it was.
   */
  @Test
  void deviceGetsItsTwinAndBadReportsAreRefusedChangingNothing() throws Exception {
    admin.patch("/api/v1/devices/p-1/twin", "{\"desired\":{\"mode\":\"eco\"}}", null);
    Map<String, JsonNode> answers = new ConcurrentHashMap<>();
    MqttAsyncClient device = paho("p-1", answers);
    device.subscribe("devices/p-1/twin/+/+", 1).waitForCompletion(5000);

    IMqttToken get = PahoV5.publishAwaitingAck(device, "devices/p-1/twin/get", "{\"clientToken\":\"t1\"}");
    assertThat(get.getReasonCodes()).containsExactly(0);
    JsonNode twin = awaitAnswer(answers, "devices/p-1/twin/get/accepted");
    assertThat(twin.path("name").asText()).isEqualTo("default");
    assertThat(twin.path("version").asLong()).isEqualTo(1);
    assertThat(twin.path("clientToken").asText()).isEqualTo("t1");
    assertThat(twin.path("delta")).isEqualTo(Json.readTrusted("{\"mode\":\"eco\"}"));
    assertThat(twin.path("metadata").path("desired").path("mode").has("updatedAt")).isTrue();

    String rejected = "devices/p-1/twin/report/rejected";
    IMqttToken invalid = PahoV5.publishAwaitingAck(device, "devices/p-1/twin/report", "{\"reported\":{\"mode\":");
    assertThat(invalid.getReasonCodes()).containsExactly(0x99);
    assertThat(invalid.getResponseProperties().getReasonString()).contains("not valid JSON");
    assertThat(awaitAnswer(answers, rejected).path("error").asText()).isEqualTo("invalid-json");

    answers.clear();
    String deep = "{\"reported\":" + "{\"a\":".repeat(11) + "1" + "}".repeat(11) + ",\"clientToken\":\"d\"}";
    assertThat(PahoV5.publishAwaitingAck(device, "devices/p-1/twin/report", deep).getReasonCodes()).containsExactly(0x99);
    JsonNode tooDeep = awaitAnswer(answers, rejected);
    assertThat(tooDeep.path("code").asInt()).isEqualTo(413);
    assertThat(tooDeep.path("error").asText()).isEqualTo("too-deep");
    assertThat(tooDeep.path("clientToken").asText()).isEqualTo("d");

    answers.clear();
    String large = "{\"reported\":{\"blob\":\"" + "x".repeat(33 * 1024) + "\"}}";
    assertThat(PahoV5.publishAwaitingAck(device, "devices/p-1/twin/report", large).getReasonCodes()).containsExactly(0x99);
    JsonNode tooLarge = awaitAnswer(answers, rejected);
    assertThat(tooLarge.path("error").asText()).isEqualTo("too-large");
    assertThat(tooLarge.path("message").asText()).contains("32768 bytes");

    answers.clear();
    assertThat(PahoV5.publishAwaitingAck(device, "devices/p-1/twin/report", "{\"reported\":{\"mode\":\"eco\"},\"version\":0,"
        + "\"clientToken\":\"s\"}").getReasonCodes()).containsExactly(0x99);
    JsonNode stale = awaitAnswer(answers, rejected);
    assertThat(stale.path("code").asInt()).isEqualTo(409);
    assertThat(stale.path("error").asText()).isEqualTo("stale-version");
    assertThat(stale.path("clientToken").asText()).isEqualTo("s");

    JsonNode unchanged = admin.get("/api/v1/devices/p-1/twin").json();
    assertThat(unchanged.path("version").asLong()).isEqualTo(1);
    assertThat(unchanged.path("reported").isEmpty()).isTrue();

    answers.clear();
    IMqttToken good = PahoV5.publishAwaitingAck(device, "devices/p-1/twin/report", "{\"reported\":{\"mode\":\"eco\"},\"version\":1,"
        + "\"clientToken\":\"ok\"}");
    assertThat(good.getReasonCodes()).containsExactly(0);
    assertThat(awaitAnswer(answers, "devices/p-1/twin/report/accepted"))
        .isEqualTo(Json.readTrusted("{\"version\":2,\"clientToken\":\"ok\"}"));
  }

  /**
   * Through the REST API a desired patch over the depth or size limit gets 413 naming the limit, a stale If-Match
   * 412, a patch that is not an object 422, and none of them changes the twin.
   */
  @Test
  void badDesiredPatchesAreRefusedChangingNothing() {
    admin.patch("/api/v1/devices/p-2/twin", "{\"desired\":{\"mode\":\"eco\"}}", null);
    String deep = "{\"desired\":" + "{\"a\":".repeat(11) + "1" + "}".repeat(11) + "}";
    ApiClient.Response tooDeep = admin.patch("/api/v1/devices/p-2/twin", deep, null);
    assertThat(tooDeep.status()).isEqualTo(413);
    assertThat(tooDeep.json().path("type").asText()).endsWith("/too-deep");
    assertThat(tooDeep.json().path("detail").asText()).contains("limit of 10");

    ApiClient.Response tooLarge = admin.patch("/api/v1/devices/p-2/twin",
        "{\"desired\":{\"blob\":\"" + "x".repeat(33 * 1024) + "\"}}", null);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.json().path("type").asText()).endsWith("/too-large");

    assertThat(admin.patch("/api/v1/devices/p-2/twin", "{\"desired\":{\"mode\":\"boost\"}}", "\"7\"").status())
        .isEqualTo(412);
    ApiClient.Response notObject = admin.patch("/api/v1/devices/p-2/twin", "{\"desired\":1,\"x\":2}", null);
    assertThat(notObject.status()).isEqualTo(422);
    assertThat(notObject.json().path("errors")).extracting(e -> e.path("field").asText())
        .containsExactlyInAnyOrder("desired", "x");

    JsonNode twin = admin.get("/api/v1/devices/p-2/twin").json();
    assertThat(twin.path("version").asLong()).isEqualTo(1);
    assertThat(twin.path("desired")).isEqualTo(Json.readTrusted("{\"mode\":\"eco\"}"));
    assertThat(admin.get("/api/v1/devices/p-2/twin/history").json().path("items")).hasSize(1);
  }

  /**
   * Devices report over HTTP too; the fleet is listed by twin values with every operator, paged by device; named
   * twins live beside the default one; decommissioning purges a device's twins.
   */
  @Test
  void devicesAreListedByTwinValuesAndNamedTwinsLiveBesideTheDefault() {
    String[][] reports = {{"p-1", "\"1.4.2\"", "10", "true"}, {"p-2", "\"2.1.0\"", "50", "false"},
        {"p-3", "\"1.9.9\"", "90", "true"}};
    for (String[] r : reports) {
      ApiClient.Response reported = new ApiClient(server.httpPort(), Optional.empty()).asDevice(r[0], tokens.get(r[0]))
          .patch("/device/v1/twin", "{\"reported\":{\"firmware\":{\"version\":" + r[1] + "},\"battery\":" + r[2]
              + ",\"online\":" + r[3] + "}}", null);
      assertThat(reported.status()).as(reported.toString()).isEqualTo(200);
      assertThat(reported.json().path("version").asLong()).isEqualTo(1);
    }
    assertThat(new ApiClient(server.httpPort(), Optional.empty()).asDevice("p-1", "fdt_wrong")
        .patch("/device/v1/twin", "{\"reported\":{}}", null).status()).isEqualTo(401);

    assertThat(query("where=reported.firmware.version%3C%222.0%22")).containsExactly("p-1", "p-3");
    assertThat(query("where=reported.battery%3E%3D50")).containsExactly("p-2", "p-3");
    assertThat(query("where=reported.battery%3E20&where=reported.online%3Dtrue")).containsExactly("p-3");
    assertThat(query("where=reported.firmware.version!%3D%221.4.2%22")).containsExactly("p-2", "p-3");
    JsonNode page = admin.get("/api/v1/twins?where=reported.battery%3E0&limit=2").json();
    assertThat(page.path("items")).extracting(i -> i.path("deviceId").asText()).containsExactly("p-1", "p-2");
    assertThat(admin.get("/api/v1/twins?where=reported.battery%3E0&limit=2&cursor=" + page.path("nextCursor")
        .asText()).json().path("items")).extracting(i -> i.path("deviceId").asText()).containsExactly("p-3");
    ApiClient.Response bad = admin.get("/api/v1/twins?where=battery%3E0");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().path("errors").get(0).path("field").asText()).isEqualTo("where[0]");

    assertThat(admin.patch("/api/v1/devices/p-1/twins/config", "{\"desired\":{\"interval\":30}}", null).status())
        .isEqualTo(200);
    assertThat(admin.get("/api/v1/devices/p-1/twins").json().path("items"))
        .extracting(i -> i.path("name").asText() + "@" + i.path("version").asLong())
        .containsExactly("config@1", "default@1");
    assertThat(admin.get("/api/v1/devices/p-1/twins/config").json().path("delta"))
        .isEqualTo(Json.readTrusted("{\"interval\":30}"));
    assertThat(admin.get("/api/v1/devices/p-1/twins/other").status()).isEqualTo(404);
    assertThat(admin.get("/api/v1/devices/p-1/twins/bad.name").status()).isEqualTo(422);

    MosquittoClients.Run namedDelta = MosquittoClients.finish(deviceSub("p-1", "devices/p-1/twins/config/delta", 5));
    assertThat(Json.readTrusted(namedDelta.output().trim()))
        .isEqualTo(Json.readTrusted("{\"version\":1,\"delta\":{\"interval\":30}}"));
    admin.patch("/api/v1/devices/p-1/twin", "{\"desired\":{\"pump\":\"on\"}}", null);
    assertThat(MosquittoClients.finish(appSub("devices/p-1/twin/delta", 5)).output()).contains("\"pump\":\"on\"");

    assertThat(admin.post("/api/v1/devices/p-1/decommission", "{}").status()).isEqualTo(200);
    assertThat(MosquittoClients.finish(appSub("devices/p-1/twin/delta", 2)).output().trim()).isEqualTo("Timed out");
    assertThat(MosquittoClients.finish(appSub("devices/p-1/twins/config/delta", 2)).output().trim())
        .as("a named twin's delta goes with it").isEqualTo("Timed out");
    assertThat(admin.get("/api/v1/devices/p-1/twin").json().path("version").asLong()).isZero();
    assertThat(admin.get("/api/v1/devices/p-1/twins").json().path("items")).hasSize(1);
    assertThat(query("where=reported.battery%3E0")).containsExactly("p-2", "p-3");
    assertThat(admin.patch("/api/v1/devices/p-1/twin", "{\"desired\":{\"a\":1}}", null).status()).isEqualTo(409);
  }

  /**
   * A viewer reads twins but may not change desired (403, nothing changed); an operator's desired change is in
   * the audit log with the twin's version before and after; another device cannot report to p-1's twin over MQTT.
   */
  @Test
  void viewersReadOperatorsWriteAndChangesAreAudited() throws Exception {
    String viewer = admin.post("/api/v1/tokens", "{\"name\":\"v\",\"role\":\"viewer\",\"expiresInSeconds\":600}")
        .json().path("token").asText();
    ApiClient asViewer = admin.as(viewer);
    assertThat(asViewer.get("/api/v1/devices/p-1/twin").status()).isEqualTo(200);
    ApiClient.Response forbidden = asViewer.patch("/api/v1/devices/p-1/twin", "{\"desired\":{\"a\":1}}", null);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(admin.get("/api/v1/devices/p-1/twin").json().path("version").asLong()).isZero();

    assertThat(admin.patch("/api/v1/devices/p-1/twin", "{\"desired\":{\"a\":1}}", null).status()).isEqualTo(200);
    JsonNode audit = admin.get("/api/v1/audit?entityType=twin&entityId=p-1/default").json().path("items");
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).path("action").asText()).isEqualTo("twin.desired-update");
    assertThat(audit.get(0).path("after")).isEqualTo(Json.readTrusted("{\"version\":1,\"desired\":{\"a\":1}}"));

    MosquittoClients.Started reports = appSub("devices/p-1/twin/report", 3);
    Thread.sleep(500); // the watcher subscribes first
    MosquittoClients.Run intruding = devicePub("p-2", "devices/p-1/twin/report", "{\"reported\":{\"a\":1}}");
    assertThat(intruding.exitCode()).isZero(); // MQTT 3.1.1 cannot be told; the message is dropped
    assertThat(MosquittoClients.finish(reports).output().trim()).as("nobody sees another device's report")
        .isEqualTo("Timed out");
    MosquittoClients.Started deltas = appSub("devices/p-2/twin/delta", 3);
    Thread.sleep(500);
    assertThat(devicePub("p-2", "devices/p-2/twin/delta", "{\"version\":9,\"delta\":{}}").exitCode()).isZero();
    assertThat(MosquittoClients.finish(deltas).output().trim()).as("a device cannot forge its own delta")
        .isEqualTo("Timed out");
    JsonNode twin = admin.get("/api/v1/devices/p-1/twin").json();
    assertThat(twin.path("version").asLong()).isEqualTo(1);
    assertThat(twin.path("reported").isEmpty()).isTrue();
    assertThat(admin.get("/api/v1/devices/p-2/twin").json().path("version").asLong()).isZero();
  }

  /**
   * Two tenants each have a device p-1: twins, queries and deltas stay in their tenant, and a device with the
   * same id in another tenant gets only its own delta.
   */
  @Test
  void twinsStayInTheirTenant() {
    JsonNode acme = admin.post("/api/v1/tenants", "{\"id\":\"acme\"}").json();
    ApiClient acmeApi = admin.as(acme.path("adminToken").path("token").asText());
    acmeApi.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
    acmeApi.post("/api/v1/devices", "{\"id\":\"p-1\",\"profile\":\"pump\"}");
    String acmeToken = acmeApi.post("/api/v1/devices/p-1/credentials", "{}").json().path("token").asText();

    assertThat(acmeApi.patch("/api/v1/devices/p-1/twin", "{\"desired\":{\"site\":\"acme\"}}", null).status())
        .isEqualTo(200);
    assertThat(admin.patch("/api/v1/devices/p-1/twin", "{\"desired\":{\"site\":\"default\"}}", null).status())
        .isEqualTo(200);
    assertThat(query("where=desired.site%3Dacme")).isEmpty();
    assertThat(query("where=desired.site%3Ddefault")).containsExactly("p-1");
    assertThat(acmeApi.get("/api/v1/twins?where=desired.site%3Dacme").json().path("items")).hasSize(1);
    assertThat(acmeApi.get("/api/v1/devices/p-2/twin").status()).isEqualTo(404);

    List<String> args = MosquittoClients.args("mosquitto_sub", server.mqttPort(), "mqttv311", "p-1", "p-1",
        acmeToken);
    args.addAll(List.of("-q", "1", "-t", "devices/p-1/twin/delta", "-C", "1", "-W", "5"));
    MosquittoClients.Run acmeDelta = MosquittoClients.run(args.toArray(String[]::new));
    assertThat(Json.readTrusted(acmeDelta.output().trim()).path("delta"))
        .isEqualTo(Json.readTrusted("{\"site\":\"acme\"}"));
  }

  private List<String> query(String parameters) {
    ApiClient.Response response = admin.get("/api/v1/twins?" + parameters);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    response.json().path("items").forEach(i -> ids.add(i.path("deviceId").asText()));
    return ids;
  }

  private int subscriptions(String clientId) {
    for (JsonNode session : admin.get("/api/v1/mqtt/sessions").json().path("items")) {
      if (session.path("clientId").asText().equals(clientId) && session.path("connected").asBoolean()) {
        return session.path("subscriptions").asInt();
      }
    }
    return 0;
  }

  /** mosquitto_sub as the device, for one message or until {@code seconds} pass without one. */
  private MosquittoClients.Started deviceSub(String device, String topic, int seconds) {
    List<String> args = MosquittoClients.args("mosquitto_sub", server.mqttPort(), "mqttv311", device, device,
        tokens.get(device));
    args.addAll(List.of("-q", "1", "-t", topic, "-C", "1", "-W", Integer.toString(seconds)));
    return MosquittoClients.start(args.toArray(String[]::new));
  }

  /** mosquitto_sub as an application (the admin's API token), for one message or until {@code seconds} pass. */
  private MosquittoClients.Started appSub(String topic, int seconds) {
    List<String> args = MosquittoClients.args("mosquitto_sub", server.mqttPort(), "mqttv311", "watcher", "watcher",
        TestServers.ADMIN_TOKEN);
    args.addAll(List.of("-q", "1", "-t", topic, "-C", "1", "-W", Integer.toString(seconds)));
    return MosquittoClients.start(args.toArray(String[]::new));
  }

  private MosquittoClients.Run devicePub(String device, String topic, String message) {
    List<String> args = MosquittoClients.args("mosquitto_pub", server.mqttPort(), "mqttv311", device, device,
        tokens.get(device));
    args.addAll(List.of("-q", "1", "-t", topic, "-m", message));
    return MosquittoClients.run(args.toArray(String[]::new));
  }

  /** A device's Paho client that keeps the last JSON message of each topic in {@code answers}. */
  private MqttAsyncClient paho(String device, Map<String, JsonNode> answers) throws MqttException {
    MqttAsyncClient client = PahoV5.connectAsync(server.mqttPort(), device, device, tokens.get(device),
        (topic, message) -> answers.put(topic, Json.readTrusted(new String(message.getPayload(),
            StandardCharsets.UTF_8))));
    pahoClients.add(client);
    return client;
  }

  private static JsonNode awaitAnswer(Map<String, JsonNode> answers, String topic) {
    await().atMost(Duration.ofSeconds(10)).until(() -> answers.containsKey(topic));
    return answers.get(topic);
  }
}
