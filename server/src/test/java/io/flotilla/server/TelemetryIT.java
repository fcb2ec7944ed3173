package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry as a new user meets it: a profile with a schema, devices publishing with mosquitto_pub and
 * Paho or posting over HTTP with their device token, and an operator reading points, aggregates,
 * latest values and refusals back through the REST API. Runs on SQLite and DuckDB; {@link
 * PostgresTelemetryIT} runs the same on PostgreSQL.
 */
@Timeout(120)
class TelemetryIT {
  static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"temperature\":"
      + "{\"type\":\"number\",\"minimum\":-40,\"maximum\":85}}}";

  @TempDir
  Path dataDir;
  FlotillaServer server;
  ApiClient admin;
  String t1Token;
  String t2Token;
  String t3Token;
  /** The start of the hour two hours ago: every reading of a test lies in the two hours from here. */
  Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
  private final List<MqttAsyncClient> pahoClients = new ArrayList<>();

  /** The server's configuration: SQLite registry and DuckDB telemetry in the data folder. */
  ServerConfig config() {
    return TestServers.config(dataDir);
  }

  @BeforeEach
  void startServerWithThreeThermometers() {
    server = FlotillaServer.start(config());
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    ApiClient.Response profile = admin.post("/api/v1/device-profiles",
        "{\"id\":\"thermo\",\"telemetrySchema\":" + SCHEMA + "}");
    assertThat(profile.status()).as(profile.toString()).isEqualTo(201);
    admin.post("/api/v1/devices", "{\"id\":\"t-1\",\"profile\":\"thermo\",\"tags\":{\"site\":\"north\"}}");
    admin.post("/api/v1/devices", "{\"id\":\"t-2\",\"profile\":\"thermo\",\"tags\":{\"site\":\"south\"}}");
    admin.post("/api/v1/devices", "{\"id\":\"t-3\",\"profile\":\"thermo\",\"tags\":{\"site\":\"north\"}}");
    t1Token = admin.post("/api/v1/devices/t-1/credentials", "{}").json().path("token").asText();
    t2Token = admin.post("/api/v1/devices/t-2/credentials", "{}").json().path("token").asText();
    t3Token = admin.post("/api/v1/devices/t-3/credentials", "{}").json().path("token").asText();
  }

  @AfterEach
  void stop() throws MqttException {
    for (MqttAsyncClient client : pahoClients) {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(2000);
      }
      client.close();
    }
    server.close();
  }

  /**
   * QoS 1 publishes (a nested object, a batch with epoch-millisecond and ISO-8601 times) and an HTTP
   * post are stored as dotted keys with the device's times, and read back page by page.
   */
  @Test
  void publishedAndPostedReadingsAreReadBackExactly() {
    publishReadingsOfT1();

    String range = "from=" + t0 + "&to=" + t0.plus(2, ChronoUnit.HOURS);
    List<String> read = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = admin.get("/api/v1/devices/t-1/telemetry?" + range + "&limit=3"
          + (cursor == null ? "" : "&cursor=" + cursor)).json();
      pageSizes.add(page.path("items").size());
      page.path("items").forEach(p -> read.add(p.path("ts").asText() + " " + p.path("key").asText() + "="
          + p.path("value")));
      cursor = page.hasNonNull("nextCursor") ? page.path("nextCursor").asText() : null;
    } while (cursor != null && pageSizes.size() < 10);
    assertThat(read).containsExactly(
        t0 + " engine.on=true",
        t0 + " engine.rpm=1200.0",
        t0 + " temperature=20.5",
        t0.plusSeconds(60) + " temperature=21.5",
        t0.plusSeconds(120) + " mode=\"eco\"",
        t0.plusSeconds(120) + " temperature=22.5",
        t0.plus(30, ChronoUnit.MINUTES) + " temperature=30.0",
        t0.plus(30, ChronoUnit.MINUTES) + " vals=[1,2]");
    assertThat(pageSizes).containsExactly(3, 3, 2);

    JsonNode onlyTemperature = admin.get("/api/v1/devices/t-1/telemetry?" + range + "&key=temperature").json();
    assertThat(onlyTemperature.path("items")).hasSize(4);
    assertThat(onlyTemperature.has("nextCursor")).isFalse();
  }

  /** Hourly and half-hourly aggregates have exact values; empty buckets are left out, zero- or null-filled. */
  @Test
  void bucketAggregatesAreExact() {
    publishReadingsOfT1();
    String query = "/api/v1/devices/t-1/telemetry?key=temperature&from=" + t0 + "&to=" + t0.plus(2, ChronoUnit.HOURS);

    JsonNode hourly = admin.get(query + "&bucket=1h&agg=avg,min,max,sum,count,first,last").json();
    assertThat(hourly.path("series")).hasSize(1);
    assertThat(hourly.path("series").get(0).path("key").asText()).isEqualTo("temperature");
    JsonNode buckets = hourly.path("series").get(0).path("buckets");
    assertThat(buckets).hasSize(1);
    JsonNode first = buckets.get(0);
    assertThat(first.path("start").asText()).isEqualTo(t0.toString());
    assertThat(first.path("avg").asDouble()).isEqualTo(23.625);
    assertThat(first.path("min").asDouble()).isEqualTo(20.5);
    assertThat(first.path("max").asDouble()).isEqualTo(30.0);
    assertThat(first.path("sum").asDouble()).isEqualTo(94.5);
    assertThat(first.path("count").asDouble()).isEqualTo(4.0);
    assertThat(first.path("first").asDouble()).isEqualTo(20.5);
    assertThat(first.path("last").asDouble()).isEqualTo(30.0);

    JsonNode halfHourly = admin.get(query + "&bucket=30m&agg=avg,max").json().path("series").get(0).path("buckets");
    assertThat(halfHourly).extracting(b -> b.path("start").asText() + " " + b.path("avg").asDouble() + " "
        + b.path("max").asDouble())
        .containsExactly(t0 + " 21.5 22.5", t0.plus(30, ChronoUnit.MINUTES) + " 30.0 30.0");

    JsonNode zeroFilled = admin.get(query + "&bucket=1h&agg=max&fill=zero").json().path("series").get(0)
        .path("buckets");
    assertThat(zeroFilled).extracting(b -> b.path("start").asText() + " " + b.path("max"))
        .containsExactly(t0 + " 30.0", t0.plus(1, ChronoUnit.HOURS) + " 0.0");
    JsonNode nullFilled = admin.get(query + "&bucket=1h&agg=max&fill=null").json().path("series").get(0)
        .path("buckets");
    assertThat(nullFilled.get(1).path("max").isNull()).isTrue();
  }

  /** Latest values per device, and across the fleet chosen by tag; a fleet aggregate grouped by a tag. */
  @Test
  void latestValuesAndFleetAggregateByTag() {
    publishReadingsOfT1();
    assertThat(post("t-2", t2Token, "{\"ts\":\"" + t0.plus(5, ChronoUnit.MINUTES) + "\",\"temperature\":10}").status())
        .isEqualTo(200);
    assertThat(post("t-3", t3Token, "{\"ts\":\"" + t0.plus(10, ChronoUnit.MINUTES) + "\",\"temperature\":40}").status())
        .isEqualTo(200);

    JsonNode latest = admin.get("/api/v1/devices/t-1/telemetry/latest").json().path("items");
    assertThat(latest).extracting(v -> v.path("deviceId").asText() + " " + v.path("key").asText() + "="
        + v.path("value") + " @" + v.path("ts").asText())
        .containsExactlyInAnyOrder(
            "t-1 engine.on=true @" + t0,
            "t-1 engine.rpm=1200.0 @" + t0,
            "t-1 mode=\"eco\" @" + t0.plusSeconds(120),
            "t-1 temperature=30.0 @" + t0.plus(30, ChronoUnit.MINUTES),
            "t-1 vals=[1,2] @" + t0.plus(30, ChronoUnit.MINUTES));
    JsonNode onlyKey = admin.get("/api/v1/devices/t-1/telemetry/latest?key=mode").json().path("items");
    assertThat(onlyKey).hasSize(1);
    assertThat(onlyKey.get(0).path("value").asText()).isEqualTo("eco");

    JsonNode south = admin.get("/api/v1/telemetry/latest?tag=site:south").json().path("items");
    assertThat(south).extracting(v -> v.path("deviceId").asText() + " " + v.path("key").asText() + "="
        + v.path("value")).containsExactly("t-2 temperature=10.0");
    JsonNode byProfile = admin.get("/api/v1/telemetry/latest?profile=thermo&key=temperature").json().path("items");
    assertThat(byProfile).extracting(v -> v.path("deviceId").asText() + "=" + v.path("value"))
        .containsExactlyInAnyOrder("t-1=30.0", "t-2=10.0", "t-3=40.0");

    JsonNode fleet = admin.get("/api/v1/telemetry/fleet?key=temperature&groupBy=site&agg=avg&bucket=1h&from=" + t0
        + "&to=" + t0.plus(2, ChronoUnit.HOURS)).json().path("items");
    assertThat(fleet).extracting(b -> b.path("group").asText() + " " + b.path("start").asText() + " "
        + b.path("value").asDouble() + " " + b.path("devices").asLong())
        .containsExactlyInAnyOrder(
            "north " + t0 + " " + (94.5 + 40) / 5 + " 2",
            "south " + t0 + " 10.0 1");
    JsonNode northMax = admin.get("/api/v1/telemetry/fleet?key=temperature&groupBy=site&agg=max&tag=site:north&from="
        + t0 + "&to=" + t0.plus(2, ChronoUnit.HOURS)).json().path("items");
    assertThat(northMax).extracting(b -> b.path("group").asText() + " " + b.path("value").asDouble())
        .containsExactly("north 40.0");
  }

  /**
   * A reading outside the profile's schema is refused over MQTT 5 with PUBACK 0x99 and a reason string
   * naming the key and the bound, kept in the dead-letter list, and never reaches subscribers; the
   * valid reading after it does.
   */
  @Test
  void schemaViolationOverMqtt5IsRefusedWithItsReasonAndDeadLettered() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    MqttAsyncClient app = paho("dashboard", "app", TestServers.ADMIN_TOKEN);
    app.setCallback(PahoV5.onMessage((topic, message) -> seen.add(topic + " "
        + new String(message.getPayload(), StandardCharsets.UTF_8))));
    app.subscribe("devices/+/telemetry", 1).waitForCompletion(5000);
    MqttAsyncClient device = paho("t-1", "t-1", t1Token);

    IMqttToken refused = PahoV5.publishAwaitingAck(device, "devices/t-1/telemetry", "{\"temperature\":99}");
    assertThat(refused.getReasonCodes()).containsExactly(0x99);
    assertThat(refused.getResponseProperties().getReasonString()).contains("/temperature").contains("<= 85");
    IMqttToken accepted = PahoV5.publishAwaitingAck(device, "devices/t-1/telemetry", "{\"temperature\":21}");
    assertThat(accepted.getReasonCodes()).containsExactly(0);

    await().atMost(Duration.ofSeconds(5)).until(() -> !seen.isEmpty());
    Thread.sleep(300);
    assertThat(seen).containsExactly("devices/t-1/telemetry {\"temperature\":21}");
    JsonNode stored = admin.get("/api/v1/devices/t-1/telemetry").json().path("items");
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).path("value").asDouble()).isEqualTo(21.0);

    JsonNode rejected = awaitRejected(admin, 1).get(0);
    assertThat(rejected.path("deviceId").asText()).isEqualTo("t-1");
    assertThat(rejected.path("profileId").asText()).isEqualTo("thermo");
    assertThat(rejected.path("transport").asText()).isEqualTo("mqtt");
    assertThat(rejected.path("reason").asText()).isEqualTo(refused.getResponseProperties().getReasonString());
    assertThat(rejected.path("payload").asText()).isEqualTo("{\"temperature\":99}");
    assertThat(rejected.path("payloadBytes").asInt()).isEqualTo(18);
  }

  /** Not-JSON and oversized payloads are refused over MQTT 5 with 0x99, naming what was wrong. */
  @Test
  void notJsonAndOversizedPayloadsAreRefusedOverMqtt() throws Exception {
    MqttAsyncClient device = paho("t-1", "t-1", t1Token);
    IMqttToken notJson = PahoV5.publishAwaitingAck(device, "devices/t-1/telemetry", "temperature=21");
    assertThat(notJson.getReasonCodes()).containsExactly(0x99);
    assertThat(notJson.getResponseProperties().getReasonString()).contains("not valid JSON");
    IMqttToken oversized = PahoV5.publishAwaitingAck(device, "devices/t-1/telemetry", oversizedReading());
    assertThat(oversized.getReasonCodes()).containsExactly(0x99);
    assertThat(oversized.getResponseProperties().getReasonString()).contains("the limit is 65536");
    assertThat(awaitRejected(admin, 2)).extracting(r -> r.path("payloadBytes").asInt())
        .containsExactly(oversizedReading().length(), "temperature=21".length());
    assertThat(admin.get("/api/v1/devices/t-1/telemetry").json().path("items")).isEmpty();
  }

  /** Over HTTP a refused payload gets 422 with every violation as field and message; nothing is stored. */
  @Test
  void refusedHttpPayloadsGet422WithTheirViolations() {
    ApiClient.Response violations = post("t-1", t1Token,
        "[{\"temperature\":-50},{\"temperature\":\"hot\"},{\"temperature\":20}]");
    assertThat(violations.status()).as(violations.toString()).isEqualTo(422);
    assertThat(violations.contentType()).startsWith("application/problem+json");
    JsonNode errors = violations.json().path("errors");
    assertThat(errors).extracting(e -> e.path("field").asText()).containsExactly("/0/temperature", "/1/temperature");
    assertThat(errors.get(0).path("message").asText()).isEqualTo("must be >= -40");
    assertThat(errors.get(1).path("message").asText()).contains("number");

    ApiClient.Response notJson = post("t-1", t1Token, "temperature=21");
    assertThat(notJson.status()).isEqualTo(422);
    assertThat(notJson.json().path("errors").get(0).path("message").asText()).startsWith("payload is not valid JSON");
    ApiClient.Response oversized = post("t-1", t1Token, oversizedReading());
    assertThat(oversized.status()).isEqualTo(422);
    assertThat(oversized.json().path("errors").get(0).path("message").asText())
        .isEqualTo("payload is " + oversizedReading().length() + " bytes; the limit is 65536");

    assertThat(awaitRejected(admin, 3)).allSatisfy(r -> assertThat(r.path("transport").asText()).isEqualTo("http"));
    assertThat(admin.get("/api/v1/devices/t-1/telemetry?from=" + t0).json().path("items")).isEmpty();
  }

  /** A wrong or borrowed device token, or none, is refused with 401 and stores nothing. */
  @Test
  void wrongDeviceTokenIsRefusedWith401() {
    assertThat(post("t-1", t1Token + "x", "{\"temperature\":20}").status()).isEqualTo(401);
    assertThat(post("t-1", t2Token, "{\"temperature\":20}").status()).isEqualTo(401);
    ApiClient.Response anonymous = new ApiClient(server.httpPort(), Optional.empty())
        .post("/device/v1/telemetry", "{\"temperature\":20}");
    assertThat(anonymous.status()).isEqualTo(401);
    ApiClient.Response operatorToken = admin.post("/device/v1/telemetry", "{\"temperature\":20}");
    assertThat(operatorToken.status()).isEqualTo(401);
    assertThat(admin.get("/api/v1/devices/t-1/telemetry").json().path("items")).isEmpty();
    assertThat(admin.get("/api/v1/devices/t-2/telemetry").json().path("items")).isEmpty();
  }

  /** A device publishing into another device's telemetry topic gets 0x87 and nothing is stored for either. */
  @Test
  void aDeviceCannotPublishIntoAnotherDevicesTelemetry() throws Exception {
    MqttAsyncClient device = paho("t-1", "t-1", t1Token);
    IMqttToken intruding = PahoV5.publishAwaitingAck(device, "devices/t-2/telemetry", "{\"temperature\":20}");
    assertThat(intruding.getReasonCodes()).containsExactly(0x87);
    IMqttToken own = PahoV5.publishAwaitingAck(device, "devices/t-1/telemetry", "{\"temperature\":19}");
    assertThat(own.getReasonCodes()).containsExactly(0);
    assertThat(admin.get("/api/v1/devices/t-2/telemetry").json().path("items")).isEmpty();
    assertThat(admin.get("/api/v1/devices/t-2/telemetry/latest").json().path("items")).isEmpty();
    assertThat(admin.get("/api/v1/devices/t-1/telemetry").json().path("items")).extracting(p -> p.path("value").asDouble())
        .containsExactly(19.0);
  }

  /** MQTT 3.1.1 has no reason codes: a refused payload is acknowledged, not stored, and dead-lettered. */
  @Test
  void mqtt311RefusedPayloadIsAckedButOnlyDeadLettered() {
    MosquittoClients.Run run = mosquittoPub("mqttv311", "t-1", t1Token, "{\"temperature\":200}");
    assertThat(run.exitCode()).as(run.output()).isZero();
    JsonNode rejected = awaitRejected(admin, 1).get(0);
    assertThat(rejected.path("reason").asText()).contains("/temperature").contains("<= 85");
    assertThat(rejected.path("payload").asText()).isEqualTo("{\"temperature\":200}");
    assertThat(admin.get("/api/v1/devices/t-1/telemetry").json().path("items")).isEmpty();
    assertThat(admin.get("/api/v1/devices/t-1/telemetry/latest").json().path("items")).isEmpty();
  }

  /** Another tenant's administrator sees neither this tenant's points, latest values nor refusals. */
  @Test
  void anotherTenantCannotReadTelemetryNorRejections() {
    publishReadingsOfT1();
    assertThat(post("t-1", t1Token, "{\"temperature\":1000}").status()).isEqualTo(422);
    awaitRejected(admin, 1);

    JsonNode acme = admin.post("/api/v1/tenants", "{\"id\":\"acme\"}").json();
    ApiClient acmeAdmin = admin.as(acme.path("adminToken").path("token").asText());
    String range = "from=" + t0 + "&to=" + t0.plus(2, ChronoUnit.HOURS);
    assertThat(acmeAdmin.get("/api/v1/devices/t-1/telemetry?" + range).status()).isEqualTo(404);
    assertThat(acmeAdmin.get("/api/v1/devices/t-1/telemetry?" + range + "&bucket=1h").status()).isEqualTo(404);
    assertThat(acmeAdmin.get("/api/v1/devices/t-1/telemetry/latest").status()).isEqualTo(404);
    assertThat(acmeAdmin.delete("/api/v1/devices/t-1/telemetry").status()).isEqualTo(404);
    assertThat(acmeAdmin.get("/api/v1/telemetry/rejected").json().path("items")).isEmpty();
    assertThat(acmeAdmin.get("/api/v1/telemetry/rejected?deviceId=t-1").json().path("items")).isEmpty();
    assertThat(acmeAdmin.get("/api/v1/telemetry/latest?tag=site:north").json().path("items")).isEmpty();
    assertThat(acmeAdmin.get("/api/v1/telemetry/fleet?key=temperature&groupBy=site&" + range).json().path("items"))
        .isEmpty();
    ApiClient.Response export = acmeAdmin.send("POST", "/api/v1/telemetry/exports?" + range, null,
        "application/json", null);
    assertThat(export.status()).as(export.toString()).isEqualTo(201);
    assertThat(export.json().path("points").asLong()).isZero();
    // The owner still has everything.
    assertThat(admin.get("/api/v1/devices/t-1/telemetry?" + range).json().path("items")).hasSize(8);
  }

  /** Deleting a device's telemetry removes its points and latest values, and no other device's. */
  @Test
  void deletingADevicesTelemetryRemovesItsPoints() {
    publishReadingsOfT1();
    assertThat(post("t-2", t2Token, "{\"ts\":\"" + t0 + "\",\"temperature\":10}").status()).isEqualTo(200);
    String range = "from=" + t0 + "&to=" + t0.plus(2, ChronoUnit.HOURS);

    ApiClient.Response deleted = admin.delete("/api/v1/devices/t-1/telemetry");
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().path("pointsDeleted").asLong()).isEqualTo(8);
    assertThat(admin.get("/api/v1/devices/t-1/telemetry?" + range).json().path("items")).isEmpty();
    assertThat(admin.get("/api/v1/devices/t-1/telemetry/latest").json().path("items")).isEmpty();
    assertThat(admin.get("/api/v1/devices/t-1/telemetry?" + range + "&bucket=1h").json().path("series")
        .findValues("avg")).isEmpty();
    assertThat(admin.get("/api/v1/devices/t-2/telemetry?" + range).json().path("items")).hasSize(1);
    assertThat(admin.get("/api/v1/audit?limit=1").json().path("items").get(0).path("action").asText())
        .isEqualTo("telemetry.delete");
  }

  /** An export writes a Parquet file holding exactly the points of the range (of one device, or all). */
  @Test
  void exportWritesAParquetFileWithTheRightCount() throws Exception {
    publishReadingsOfT1();
    assertThat(post("t-2", t2Token, "{\"ts\":\"" + t0 + "\",\"temperature\":10}").status()).isEqualTo(200);
    String range = "from=" + t0 + "&to=" + t0.plus(2, ChronoUnit.HOURS);

    ApiClient.Response one = admin.send("POST", "/api/v1/telemetry/exports?deviceId=t-1&" + range, null,
        "application/json", null);
    assertThat(one.status()).as(one.toString()).isEqualTo(201);
    assertThat(one.json().path("points").asLong()).isEqualTo(8);
    assertThat(parquetRows(Path.of(one.json().path("file").asText()))).isEqualTo(8);

    ApiClient.Response all = admin.send("POST", "/api/v1/telemetry/exports?" + range, null, "application/json",
        null);
    assertThat(all.json().path("points").asLong()).isEqualTo(9);
    assertThat(parquetRows(Path.of(all.json().path("file").asText()))).isEqualTo(9);

    ApiClient.Response firstMinute = admin.send("POST", "/api/v1/telemetry/exports?deviceId=t-1&from=" + t0 + "&to="
        + t0.plusSeconds(60), null, "application/json", null);
    assertThat(firstMinute.json().path("points").asLong()).isEqualTo(3);
  }

  /**
   * t-1's readings: two QoS 1 publishes with mosquitto_pub (a nested object at t0; a batch at t0+60 s
   * in epoch milliseconds and t0+120 s as ISO-8601 with an offset) and one HTTP post at t0+30 min.
   * Eight points; temperature 20.5, 21.5, 22.5 and 30.
   */
  void publishReadingsOfT1() {
    MosquittoClients.Run nested = mosquittoPub("mqttv5", "t-1", t1Token,
        "{\"ts\":\"" + t0 + "\",\"temperature\":20.5,\"engine\":{\"rpm\":1200,\"on\":true}}");
    assertThat(nested.exitCode()).as(nested.output()).isZero();
    String isoWithOffset = t0.plusSeconds(120).atOffset(ZoneOffset.ofHours(2)).toString();
    MosquittoClients.Run batch = mosquittoPub("mqttv5", "t-1", t1Token,
        "[{\"ts\":" + t0.plusSeconds(60).toEpochMilli() + ",\"temperature\":21.5},"
            + "{\"ts\":\"" + isoWithOffset + "\",\"temperature\":22.5,\"mode\":\"eco\"}]");
    assertThat(batch.exitCode()).as(batch.output()).isZero();
    ApiClient.Response posted = post("t-1", t1Token,
        "{\"ts\":\"" + t0.plus(30, ChronoUnit.MINUTES) + "\",\"temperature\":30.0,\"vals\":[1,2]}");
    assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
    assertThat(posted.json().path("points").asInt()).isEqualTo(2);
  }

  /** {@code curl -u <device>:<token> -d <body> http://…/device/v1/telemetry}. */
  ApiClient.Response post(String deviceId, String token, String body) {
    return new ApiClient(server.httpPort(), Optional.empty()).asDevice(deviceId, token)
        .post("/device/v1/telemetry", body);
  }

  private MosquittoClients.Run mosquittoPub(String version, String deviceId, String token, String message) {
    List<String> args = MosquittoClients.args("mosquitto_pub", server.mqttPort(), version, deviceId, deviceId, token);
    args.addAll(List.of("-t", "devices/" + deviceId + "/telemetry", "-q", "1", "-m", message));
    return MosquittoClients.run(args.toArray(String[]::new));
  }

  private static String oversizedReading() {
    return "{\"temperature\":20,\"note\":\"" + "x".repeat(70_000) + "\"}";
  }

  /** The dead-letter list once it holds {@code count} entries (they are written in the background). */
  private static JsonNode awaitRejected(ApiClient api, int count) {
    await().atMost(Duration.ofSeconds(5)).until(() ->
        api.get("/api/v1/telemetry/rejected").json().path("items").size() >= count);
    JsonNode items = api.get("/api/v1/telemetry/rejected").json().path("items");
    assertThat(items).hasSize(count);
    return items;
  }

  private MqttAsyncClient paho(String clientId, String user, String password) throws MqttException {
    MqttAsyncClient client = PahoV5.connectAsync(server.mqttPort(), clientId, user, password, (topic, message) -> { });
    pahoClients.add(client);
    return client;
  }

  private static long parquetRows(Path file) throws Exception {
    assertThat(Files.size(file)).isPositive();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs = duckdb.createStatement().executeQuery(
            "SELECT count(*) FROM read_parquet('" + file.toString().replace("'", "''") + "')")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
