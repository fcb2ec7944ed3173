package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** MQTT over WebSocket on the HTTP port ({@code ws://host:httpPort/mqtt}), against the real server. */
@Timeout(120)
class MqttOverWebSocketIT {
  @TempDir
  Path dataDir;
  FlotillaServer server;
  ApiClient admin;
  String pump1Token;

  @BeforeEach
  void startServerWithADevice() {
    server = TestServers.start(dataDir, Optional.empty());
    admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    admin.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
    admin.post("/api/v1/devices", "{\"id\":\"pump-1\",\"profile\":\"pump\"}");
    pump1Token = admin.post("/api/v1/devices/pump-1/credentials", "{}").json().path("token").asText();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String ws() {
    return "ws://127.0.0.1:" + server.httpPort() + "/mqtt";
  }

  /** MQTT 5 over WebSocket: an application subscribes, a device publishes over TCP (3.1.1), QoS 1. */
  @Test
  void applicationSubscribesOverWebSocketV5AndDevicePublishesOverTcp() throws Exception {
    MqttClient app = new MqttClient(ws(), "dashboard", new MemoryPersistence());
    BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
    app.setCallback(new Received(received));
    app.connect(v5Options("app", TestServers.ADMIN_TOKEN));
    IMqttToken sub = app.subscribe("devices/+/events", 1);
    assertThat(sub.getReasonCodes()).containsExactly(1);

    org.eclipse.paho.client.mqttv3.MqttClient device = new org.eclipse.paho.client.mqttv3.MqttClient(
        "tcp://127.0.0.1:" + server.mqttPort(), "pump-1", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
    device.connect(v3Options("pump-1", pump1Token));
    device.publish("devices/pump-1/events", "{\"t\":21.5}".getBytes(StandardCharsets.UTF_8), 1, false);

    MqttMessage message = received.poll(5, TimeUnit.SECONDS);
    assertThat(message).isNotNull();
    assertThat(new String(message.getPayload(), StandardCharsets.UTF_8)).isEqualTo("{\"t\":21.5}");
    assertThat(message.getQos()).isEqualTo(1);
    // A payload larger than one typical WebSocket frame buffer goes through whole.
    byte[] big = new byte[200_000];
    java.util.Arrays.fill(big, (byte) 'x');
    device.publish("devices/pump-1/events", big, 1, false);
    MqttMessage large = received.poll(5, TimeUnit.SECONDS);
    assertThat(large).isNotNull();
    assertThat(large.getPayload()).hasSize(big.length);

    JsonNode sessions = admin.get("/api/v1/mqtt/sessions").json().path("items");
    JsonNode dashboard = null;
    for (JsonNode s : sessions) {
      if (s.path("clientId").asText().equals("dashboard")) {
        dashboard = s;
      }
    }
    assertThat(dashboard).isNotNull();
    assertThat(dashboard.path("protocol").asText()).isEqualTo("mqtt-5");
    assertThat(dashboard.path("clientAddress").asText()).contains("127.0.0.1");
    device.disconnect();
    device.close();
    app.disconnect();
    app.close();
  }

  /** MQTT 3.1.1 over WebSocket: the device authenticates with its token and publishes QoS 1 to a TCP application. */
  @Test
  void deviceAuthenticatesOverWebSocketV311WithItsToken() throws Exception {
    MqttClient app = new MqttClient("tcp://127.0.0.1:" + server.mqttPort(), "dashboard", new MemoryPersistence());
    BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
    app.setCallback(new Received(received));
    app.connect(v5Options("app", TestServers.ADMIN_TOKEN));
    app.subscribe("devices/+/events", 1);

    org.eclipse.paho.client.mqttv3.MqttClient device = new org.eclipse.paho.client.mqttv3.MqttClient(ws(), "pump-1",
        new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
    device.connect(v3Options("pump-1", pump1Token));
    device.publish("devices/pump-1/events", "over ws".getBytes(StandardCharsets.UTF_8), 1, false);
    MqttMessage message = received.poll(5, TimeUnit.SECONDS);
    assertThat(message).isNotNull();
    assertThat(new String(message.getPayload(), StandardCharsets.UTF_8)).isEqualTo("over ws");
    assertThat(message.getQos()).isEqualTo(1);

    server.gateway().awaitConnectivityWritten();
    JsonNode connection = admin.get("/api/v1/devices/pump-1/connection").json();
    assertThat(connection.path("online").asBoolean()).isTrue();
    assertThat(connection.path("protocol").asText()).isEqualTo("mqtt-3.1.1");
    assertThat(connection.toString()).doesNotContain("local:");

    // A device subscribed over WebSocket with 3.1.1 receives its commands at QoS 1.
    BlockingQueue<String> commands = new LinkedBlockingQueue<>();
    device.subscribe("devices/pump-1/commands", 1, (topic, m) -> commands.add(new String(m.getPayload(),
        StandardCharsets.UTF_8) + "@" + m.getQos()));
    app.publish("devices/pump-1/commands", "reboot".getBytes(StandardCharsets.UTF_8), 1, false);
    assertThat(commands.poll(5, TimeUnit.SECONDS)).isEqualTo("reboot@1");
    device.disconnect();
    device.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      server.gateway().awaitConnectivityWritten();
      return !admin.get("/api/v1/devices/pump-1/connection").json().path("online").asBoolean();
    });

    // A wrong token over WebSocket is refused like over TCP.
    org.eclipse.paho.client.mqttv3.MqttClient impostor = new org.eclipse.paho.client.mqttv3.MqttClient(ws(), "pump-1",
        new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
    assertThatThrownBy(() -> impostor.connect(v3Options("pump-1", pump1Token + "x")))
        .isInstanceOf(org.eclipse.paho.client.mqttv3.MqttException.class)
        .satisfies(e -> assertThat(((org.eclipse.paho.client.mqttv3.MqttException) e).getReasonCode())
            .isEqualTo(org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_FAILED_AUTHENTICATION));
    impostor.close();
    app.disconnect();
    app.close();
  }

  /** The handshake selects "mqtt" wherever it is offered; a client offering only something else is refused. */
  @Test
  void handshakeSelectsTheMqttSubprotocol() throws Exception {
    Raw raw = Raw.open(ws(), "foo", "mqtt");
    assertThat(raw.socket.getSubprotocol()).isEqualTo("mqtt");
    raw.socket.abort();
    assertThatThrownBy(() -> Raw.open(ws(), "foo")).hasStackTraceContaining("400");
  }

  /** A message may carry part of a packet or several: CONNECT split in two, PINGREQ glued to its tail. */
  @Test
  void packetsMaySpanMessagesAndMessagesMayHoldSeveralPackets() throws Exception {
    Raw raw = Raw.open(ws(), "mqtt");
    byte[] connect = connect311("pump-1", "pump-1", pump1Token);
    byte[] first = java.util.Arrays.copyOfRange(connect, 0, 7);
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    rest.write(connect, 7, connect.length - 7);
    rest.write(new byte[] {(byte) 0xC0, 0}); // PINGREQ
    raw.send(first);
    raw.send(rest.toByteArray());
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (in.size() < 6 && System.nanoTime() < deadline) {
      byte[] chunk = raw.received.poll(100, TimeUnit.MILLISECONDS);
      if (chunk != null) {
        in.write(chunk);
      }
    }
    assertThat(in.toByteArray()).containsExactly(0x20, 2, 0, 0, 0xD0, 0);
    raw.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
  }

  /** Garbage closes that WebSocket session only; other sessions and the REST API carry on. */
  @Test
  void garbageClosesOnlyThatSession() throws Exception {
    MqttClient app = new MqttClient(ws(), "dashboard", new MemoryPersistence());
    BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
    app.setCallback(new Received(received));
    app.connect(v5Options("app", TestServers.ADMIN_TOKEN));
    app.subscribe("alerts", 1);

    Raw garbage = Raw.open(ws(), "mqtt");
    garbage.send(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3});
    assertThat(garbage.closed.get(5, TimeUnit.SECONDS)).isNotNull();

    Raw text = Raw.open(ws(), "mqtt");
    text.socket.sendText("hello", true);
    assertThat(text.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1003);

    assertThat(app.isConnected()).isTrue();
    app.publish("alerts", "still here".getBytes(StandardCharsets.UTF_8), 1, false);
    MqttMessage message = received.poll(5, TimeUnit.SECONDS);
    assertThat(message).isNotNull();
    assertThat(admin.get("/api/v1/devices").status()).isEqualTo(200);
    assertThat(new ApiClient(server.httpPort(), Optional.empty()).get("/api/v1/server/ca.pem").status())
        .isEqualTo(200);
    app.disconnect();
    app.close();
  }

  private static byte[] connect311(String clientId, String user, String password) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeString(body, "MQTT");
    body.write(4);
    body.write(0xC2); // user name, password, clean session
    body.write(0);
    body.write(60);
    writeString(body, clientId);
    writeString(body, user);
    writeString(body, password);
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(0x10);
    int remaining = body.size();
    do {
      int digit = remaining % 128;
      remaining /= 128;
      packet.write(remaining > 0 ? digit | 0x80 : digit);
    } while (remaining > 0);
    packet.writeBytes(body.toByteArray());
    return packet.toByteArray();
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b.length >> 8);
    out.write(b.length & 0xFF);
    out.writeBytes(b);
  }

  private static MqttConnectionOptions v5Options(String user, String password) {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName(user);
    options.setPassword(password.getBytes(StandardCharsets.UTF_8));
    options.setAutomaticReconnect(false);
    options.setCleanStart(true);
    options.setConnectionTimeout(5);
    return options;
  }

  private static org.eclipse.paho.client.mqttv3.MqttConnectOptions v3Options(String user, String password) {
    org.eclipse.paho.client.mqttv3.MqttConnectOptions options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
    options.setMqttVersion(org.eclipse.paho.client.mqttv3.MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setUserName(user);
    options.setPassword(password.toCharArray());
    options.setAutomaticReconnect(false);
    options.setCleanSession(true);
    options.setConnectionTimeout(5);
    return options;
  }

  /** A byte-level WebSocket client (the JDK's), to send what no MQTT library would. */
  private static final class Raw implements WebSocket.Listener {
    final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    WebSocket socket;

    static Raw open(String uri, String... subprotocols) throws Exception {
      Raw raw = new Raw();
      WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
      builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
      raw.socket = builder.buildAsync(URI.create(uri), raw).get(5, TimeUnit.SECONDS);
      return raw;
    }

    void send(byte[] bytes) throws Exception {
      socket.sendBinary(ByteBuffer.wrap(bytes), true).get(5, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      partial.writeBytes(b);
      if (last) {
        received.add(partial.toByteArray());
        partial.reset();
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }

  private record Received(BlockingQueue<MqttMessage> messages) implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      messages.add(message);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
