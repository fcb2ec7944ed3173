package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices and applications on the real server's MQTT listeners, with identities from the
 * registry: the clients are Debian's mosquitto_pub/mosquitto_sub and Eclipse Paho.
 */
@Timeout(120)
class MqttGatewayIT {
  @TempDir
  Path dataDir;
  FlotillaServer server;
  ApiClient admin;
  String pump1Token;
  String pump2Token;

  @BeforeEach
  void startServerWithTwoDevices() {
    server = TestServers.start(dataDir, Optional.empty());
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    admin.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
    admin.post("/api/v1/devices", "{\"id\":\"pump-1\",\"profile\":\"pump\"}");
    admin.post("/api/v1/devices", "{\"id\":\"pump-2\",\"profile\":\"pump\"}");
    pump1Token = admin.post("/api/v1/devices/pump-1/credentials", "{}").json().path("token").asText();
    pump2Token = admin.post("/api/v1/devices/pump-2/credentials", "{}").json().path("token").asText();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A device publishes with its token; an application holding an API token receives it; both versions. */
  @Test
  void devicePublishesWithItsTokenAndAnApplicationReceives() {
    for (String version : List.of("mqttv311", "mqttv5")) {
      MosquittoClients.Started sub = subscribe(version, "dashboard-" + version, "app", TestServers.ADMIN_TOKEN,
          "devices/+/telemetry");
      await().atMost(Duration.ofSeconds(5)).until(() -> server.gateway().broker().sessions("default").stream()
          .anyMatch(s -> s.clientId().equals("dashboard-" + version)));
      MosquittoClients.Run pub = MosquittoClients.run(publish(version, "pump-1", "pump-1", pump1Token,
          "devices/pump-1/telemetry", "{\"t\":21.5}"));
      assertThat(pub.exitCode()).as(pub.output()).isZero();
      MosquittoClients.Run received = MosquittoClients.finish(sub);
      assertThat(received.output()).as(version).contains("devices/pump-1/telemetry {\"t\":21.5}");
    }
  }

  /** A wrong secret, another device's token, or an unknown device is refused with the right code. */
  @Test
  void wrongCredentialsAreRefused() {
    MosquittoClients.Run wrong = MosquittoClients.run(publish("mqttv311", "pump-1", "pump-1", pump1Token + "x",
        "devices/pump-1/telemetry", "1"));
    assertThat(wrong.exitCode()).isNotZero();
    assertThat(wrong.output()).contains("bad user name or password");
    MosquittoClients.Run borrowed = MosquittoClients.run(publish("mqttv5", "pump-2", "pump-2", pump1Token,
        "devices/pump-2/telemetry", "1"));
    assertThat(borrowed.exitCode()).isNotZero();
    assertThat(borrowed.output().toLowerCase()).contains("bad user name or password");
    MosquittoClients.Run anonymous = MosquittoClients.run(publish("mqttv5", "someone", null, null, "a/b", "1"));
    assertThat(anonymous.exitCode()).isNotZero();
    assertThat(anonymous.output().toLowerCase()).contains("not authori");
    JsonNode connection = admin.get("/api/v1/devices/pump-1/connection").json();
    assertThat(connection.path("online").asBoolean()).isFalse();
  }

  /** A viewer's API token may watch the fleet over MQTT but not publish to it. */
  @Test
  void viewerTokenSubscribesButCannotPublish() {
    admin.post("/api/v1/users", "{\"id\":\"vera\",\"role\":\"viewer\"}");
    String viewerToken = admin.post("/api/v1/tokens", "{\"userId\":\"vera\"}").json().path("token").asText();
    MosquittoClients.Started watch = subscribe("mqttv5", "wall-display", "vera", viewerToken, "devices/+/telemetry");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.gateway().broker().sessions("default").stream()
        .anyMatch(s -> s.clientId().equals("wall-display")));
    MosquittoClients.Run refused = MosquittoClients.run(publish("mqttv5", "vera-cli", "vera", viewerToken,
        "devices/pump-1/commands", "{\"reboot\":true}", "-q", "1"));
    assertThat(refused.output()).contains("Not authorized");
    assertThat(MosquittoClients.run(publish("mqttv5", "pump-1", "pump-1", pump1Token, "devices/pump-1/telemetry",
        "{\"t\":1}")).exitCode()).isZero();
    assertThat(MosquittoClients.finish(watch).output()).contains("devices/pump-1/telemetry {\"t\":1}")
        .doesNotContain("reboot");
  }

  /** Device A cannot read device B's namespace, nor everything with '#'. */
  @Test
  void aDeviceCannotSubscribeToAnotherDevicesTopics() throws Exception {
    MqttClient pump1 = paho("pump-1", "pump-1", pump1Token);
    List<String> seen = new ArrayList<>();
    pump1.setCallback(new Recorder(seen, new AtomicReference<>()));
    IMqttToken other = pump1.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
        new org.eclipse.paho.mqttv5.common.MqttSubscription("devices/pump-2/#", 1),
        new org.eclipse.paho.mqttv5.common.MqttSubscription("#", 1),
        new org.eclipse.paho.mqttv5.common.MqttSubscription("devices/pump-1/commands", 1)});
    assertThat(other.getReasonCodes()).containsExactly(0x87, 0x87, 1);
    MosquittoClients.Run pub = MosquittoClients.run(publish("mqttv5", "pump-2", "pump-2", pump2Token,
        "devices/pump-2/telemetry", "secret reading"));
    assertThat(pub.exitCode()).isZero();
    TimeUnit.MILLISECONDS.sleep(500);
    assertThat(seen).isEmpty();
    pump1.disconnect();
    // Publishing into another device's namespace is refused too (and the publish is not delivered).
    MosquittoClients.Run intoOther = MosquittoClients.run(publish("mqttv5", "pump-1", "pump-1", pump1Token,
        "devices/pump-2/commands", "{\"reboot\":true}", "-q", "1"));
    assertThat(intoOther.output()).contains("Not authorized");
  }

  /** Suspending a device closes its live connection at once, and its next connect is refused. */
  @Test
  void suspendedDeviceIsDisconnectedAndRefused() throws Exception {
    MqttClient pump1 = paho("pump-1", "pump-1", pump1Token);
    AtomicReference<MqttDisconnectResponse> dropped = new AtomicReference<>();
    pump1.setCallback(new Recorder(new ArrayList<>(), dropped));
    server.gateway().awaitConnectivityWritten();
    assertThat(admin.get("/api/v1/devices/pump-1/connection").json().path("online").asBoolean()).isTrue();
    assertThat(admin.get("/api/v1/devices?online=true").json().path("items")).hasSize(1);
    JsonNode before = admin.get("/api/v1/devices/pump-1/connection").json();
    assertThat(before.path("protocol").asText()).isEqualTo("mqtt-5");
    TimeUnit.MILLISECONDS.sleep(20);
    server.gateway().touchConnectedDevices();
    assertThat(java.time.Instant.parse(admin.get("/api/v1/devices/pump-1/connection").json().path("lastSeen").asText()))
        .isAfter(java.time.Instant.parse(before.path("connectedSince").asText()));

    admin.patch("/api/v1/devices/pump-1", "{\"status\":\"suspended\"}", null);
    await().atMost(Duration.ofSeconds(1)).until(() -> !pump1.isConnected());
    assertThat(dropped.get().getReturnCode()).isEqualTo(0x98);

    MqttException refused = connectFails("pump-1", "pump-1", pump1Token);
    assertThat(refused.getReasonCode()).isEqualTo(0x87);
    server.gateway().awaitConnectivityWritten();
    JsonNode connection = admin.get("/api/v1/devices/pump-1/connection").json();
    assertThat(connection.path("online").asBoolean()).isFalse();
    assertThat(connection.path("lastDisconnectReason").asText()).isEqualTo("administrative");
  }

  /** A device whose process dies without DISCONNECT reads offline, for reason "connection lost". */
  @Test
  void uncleanDisconnectMarksTheDeviceOffline() {
    List<String> args = MosquittoClients.args("mosquitto_sub", server.mqttPort(), "mqttv311", "pump-1", "pump-1",
        pump1Token);
    args.addAll(List.of("-t", "devices/pump-1/commands", "-W", "60"));
    MosquittoClients.Started device = MosquittoClients.start(args.toArray(String[]::new));
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      server.gateway().awaitConnectivityWritten();
      return admin.get("/api/v1/devices/pump-1/connection").json().path("online").asBoolean();
    });
    assertThat(admin.get("/api/v1/devices/pump-1/connection").json().path("protocol").asText())
        .isEqualTo("mqtt-3.1.1");
    device.process().destroyForcibly();
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      server.gateway().awaitConnectivityWritten();
      return !admin.get("/api/v1/devices/pump-1/connection").json().path("online").asBoolean();
    });
    assertThat(admin.get("/api/v1/devices/pump-1/connection").json().path("lastDisconnectReason").asText())
        .isEqualTo("connection lost");
  }

  /** Revoking the token closes the connection made with it, and the token no longer connects. */
  @Test
  void revokedTokenIsDisconnectedAndRefused() throws Exception {
    MqttClient pump2 = paho("pump-2", "pump-2", pump2Token);
    pump2.setCallback(new Recorder(new ArrayList<>(), new AtomicReference<>()));
    String credential = admin.get("/api/v1/devices/pump-2/credentials").json().path("items").get(0).path("id").asText();
    assertThat(admin.delete("/api/v1/devices/pump-2/credentials/" + credential).status()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(1)).until(() -> !pump2.isConnected());
    assertThat(connectFails("pump-2", "pump-2", pump2Token).getReasonCode()).isEqualTo(0x86);
  }

  /** Over TLS, a device proves itself with an openssl-made certificate registered to it; others are refused. */
  @Test
  void deviceConnectsOverTlsWithItsRegisteredCertificate() throws Exception {
    Path ca = dataDir.resolve("server-ca.pem");
    ApiClient.Response caPem = new ApiClient(server.httpPort(), Optional.empty()).get("/api/v1/server/ca.pem");
    assertThat(caPem.status()).isEqualTo(200);
    Files.writeString(ca, caPem.body());
    Path key = dataDir.resolve("pump-1.key");
    Path cert = dataDir.resolve("pump-1.pem");
    Path strangerKey = dataDir.resolve("stranger.key");
    Path strangerCert = dataDir.resolve("stranger.pem");
    Openssl.selfSigned(key, cert, "pump-1");
    Openssl.selfSigned(strangerKey, strangerCert, "pump-1");
    ApiClient.Response registered = admin.post("/api/v1/devices/pump-1/credentials",
        "{\"type\":\"x509\",\"certificatePem\":" + io.flotilla.core.json.Json.MAPPER.writeValueAsString(
            Files.readString(cert)) + "}");
    assertThat(registered.status()).isEqualTo(201);

    List<String> tls = List.of("--cafile", ca.toString(), "--cert", cert.toString(), "--key", key.toString());
    List<String> ok = new ArrayList<>(MosquittoClients.args("mosquitto_pub", server.mqttsPort(), "mqttv5", "pump-1",
        null, null));
    ok.addAll(tls);
    ok.addAll(List.of("-t", "devices/pump-1/telemetry", "-m", "over tls", "-q", "1"));
    MosquittoClients.Run run = MosquittoClients.run(ok.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.output()).isZero();

    List<String> stranger = new ArrayList<>(MosquittoClients.args("mosquitto_pub", server.mqttsPort(), "mqttv5",
        "pump-1", null, null));
    stranger.addAll(List.of("--cafile", ca.toString(), "--cert", strangerCert.toString(), "--key",
        strangerKey.toString(), "-t", "devices/pump-1/telemetry", "-m", "x"));
    MosquittoClients.Run refused = MosquittoClients.run(stranger.toArray(String[]::new));
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output().toLowerCase()).contains("bad user name or password");
  }

  /** Two tenants each have a device called pump-1: same topics, same client id, no cross-talk. */
  @Test
  void tenantsDoNotSeeEachOthersRetainedMessages() {
    JsonNode acme = admin.post("/api/v1/tenants", "{\"id\":\"acme\"}").json();
    ApiClient acmeApi = admin.as(acme.path("adminToken").path("token").asText());
    acmeApi.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
    acmeApi.post("/api/v1/devices", "{\"id\":\"pump-1\",\"profile\":\"pump\"}");
    String acmeToken = acmeApi.post("/api/v1/devices/pump-1/credentials", "{}").json().path("token").asText();

    assertThat(MosquittoClients.run(publish("mqttv5", "pump-1", "pump-1", acmeToken, "devices/pump-1/state",
        "acme's", "-r", "-q", "1")).exitCode()).isZero();
    assertThat(MosquittoClients.run(publish("mqttv5", "pump-1", "pump-1", pump1Token, "devices/pump-1/state",
        "default's", "-r", "-q", "1")).exitCode()).isZero();

    MosquittoClients.Run ours = MosquittoClients.finish(subscribe("mqttv5", "pump-1", "pump-1", pump1Token,
        "devices/pump-1/state"));
    assertThat(ours.output()).contains("default's").doesNotContain("acme's");
    MosquittoClients.Run theirs = MosquittoClients.finish(subscribe("mqttv311", "pump-1", "pump-1", acmeToken,
        "devices/pump-1/state"));
    assertThat(theirs.output()).contains("acme's").doesNotContain("default's");
  }

  /** Operators list the tenant's sessions and disconnect one through the REST API. */
  @Test
  void operatorsListAndCloseSessions() throws Exception {
    MqttClient pump1 = paho("pump-1", "pump-1", pump1Token);
    pump1.setCallback(new Recorder(new ArrayList<>(), new AtomicReference<>()));
    JsonNode sessions = admin.get("/api/v1/mqtt/sessions").json().path("items");
    assertThat(sessions).hasSize(1);
    assertThat(sessions.get(0).path("clientId").asText()).isEqualTo("pump-1");
    assertThat(sessions.get(0).path("protocol").asText()).isEqualTo("mqtt-5");
    assertThat(admin.delete("/api/v1/mqtt/sessions/pump-1").status()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(1)).until(() -> !pump1.isConnected());
    assertThat(admin.delete("/api/v1/mqtt/sessions/nobody").status()).isEqualTo(404);
  }

  private MosquittoClients.Started subscribe(String version, String clientId, String user, String password,
      String topic) {
    List<String> args = MosquittoClients.args("mosquitto_sub", server.mqttPort(), version, clientId, user, password);
    args.addAll(List.of("-t", topic, "-v", "-C", "1", "-W", "8"));
    return MosquittoClients.start(args.toArray(String[]::new));
  }

  private String[] publish(String version, String clientId, String user, String password, String topic,
      String message, String... more) {
    List<String> args = MosquittoClients.args("mosquitto_pub", server.mqttPort(), version, clientId, user, password);
    args.addAll(List.of("-t", topic, "-m", message));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private MqttClient paho(String clientId, String user, String password) throws MqttException {
    return PahoV5.connect(server.mqttPort(), clientId, user, password);
  }

  private MqttException connectFails(String clientId, String user, String password) throws MqttException {
    return PahoV5.connectFails(server.mqttPort(), clientId, user, password);
  }

  /** Records what a Paho client receives and why it was disconnected. */
  private record Recorder(List<String> messages, AtomicReference<MqttDisconnectResponse> disconnect)
      implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
      disconnect.set(response);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      messages.add(topic + " " + new String(message.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
  }
}
