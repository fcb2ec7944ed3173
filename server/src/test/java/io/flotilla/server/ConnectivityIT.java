package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.device.DeviceConnection;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.ConnectivityService;
import io.flotilla.core.tenant.TenantId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device connectivity as the MQTT gateway will report it: the test calls {@link ConnectivityService}
 * where the gateway will (connect, traffic, disconnect) and where the server will (start, periodic
 * flush), and reads the result over REST.
 */
@Timeout(60)
class ConnectivityIT {
  private static final TenantId TENANT = new TenantId("default");
  private static final DeviceId PUMP_1 = new DeviceId("pump-1");

  @TempDir
  Path dataDir;
  FlotillaServer server;
  ApiClient api;
  ConnectivityService connectivity;

  @BeforeEach
  void start() {
    startServer();
    api.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
    api.post("/api/v1/devices", "{\"id\":\"pump-1\",\"profile\":\"pump\"}");
    api.post("/api/v1/devices", "{\"id\":\"pump-2\",\"profile\":\"pump\"}");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A connected device reads online over REST and is listed by online=true; the others by online=false. */
  @Test
  void connectedDeviceReadsOnlineAndIsListedAsOnline() {
    connectivity.connected(TENANT, PUMP_1, "203.0.113.7:51234", "mqtt-5");

    JsonNode connection = connection("pump-1");
    assertThat(connection.path("online").asBoolean()).isTrue();
    assertThat(connection.path("clientAddress").asText()).isEqualTo("203.0.113.7:51234");
    assertThat(connection.path("protocol").asText()).isEqualTo("mqtt-5");
    assertThat(connection.path("lastSeen").asText()).isEqualTo(connection.path("connectedSince").asText());
    assertThat(connection.has("disconnectedAt")).isFalse();
    assertThat(ids("/api/v1/devices?online=true")).containsExactly("pump-1");
    assertThat(ids("/api/v1/devices?online=false")).containsExactly("pump-2");
    assertThat(ids("/api/v1/devices")).containsExactly("pump-1", "pump-2");
  }

  /** A dynamic group may select by connectivity; its members follow connects and disconnects. */
  @Test
  void dynamicGroupOfOnlineDevicesFollowsConnectivity() {
    ApiClient.Response created = api.post("/api/v1/groups",
        "{\"id\":\"online-pumps\",\"type\":\"dynamic\",\"filter\":{\"profile\":\"pump\",\"online\":true}}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().path("filter").path("online").asBoolean()).isTrue();
    assertThat(ids("/api/v1/groups/online-pumps/devices")).isEmpty();

    DeviceConnection connection = connectivity.connected(TENANT, PUMP_1, "10.0.0.5:40000", "mqtt-5");
    assertThat(ids("/api/v1/groups/online-pumps/devices")).containsExactly("pump-1");
    assertThat(ids("/api/v1/groups/online-pumps/devices?online=false")).isEmpty();
    connectivity.disconnected(TENANT, PUMP_1, connection.connectionId().orElseThrow(), "client disconnected");
    assertThat(ids("/api/v1/groups/online-pumps/devices")).isEmpty();

    ApiClient.Response notBoolean = api.post("/api/v1/groups",
        "{\"id\":\"bad\",\"type\":\"dynamic\",\"filter\":{\"online\":\"yes\"}}");
    assertThat(notBoolean.status()).isEqualTo(422);
    assertThat(notBoolean.json().path("errors").get(0).path("field").asText()).isEqualTo("filter.online");
  }

  /** A device that never connected reads offline with nothing else; unknown devices and bad filters are refused. */
  @Test
  void neverConnectedDeviceReadsOfflineAndBadRequestsAreRefused() {
    ApiClient.Response never = api.get("/api/v1/devices/pump-2/connection");
    assertThat(never.status()).isEqualTo(200);
    assertThat(never.json()).isEqualTo(Json.object().put("deviceId", "pump-2").put("online", false));
    assertThat(api.get("/api/v1/devices/nope/connection").status()).isEqualTo(404);
    ApiClient.Response badFilter = api.get("/api/v1/devices?online=yes");
    assertThat(badFilter.status()).isEqualTo(400);
    assertThat(badFilter.json().path("detail").asText()).contains("online").contains("true or false");
  }

  /** Traffic moves last-seen in memory at once; the flush stores it, so it survives a restart. */
  @Test
  void lastSeenShowsTrafficBeforeTheFlushAndTheFlushStoresIt() throws InterruptedException {
    DeviceConnection connected = connectivity.connected(TENANT, PUMP_1, "10.0.0.5:40000", "mqtt-3.1.1");
    Thread.sleep(5); // the clock counts milliseconds: let it move on
    connectivity.seen(TENANT, PUMP_1);

    Instant lastSeen = Instant.parse(connection("pump-1").path("lastSeen").asText());
    assertThat(lastSeen).isAfter(connected.connectedSince().orElseThrow());
    assertThat(connectivity.flushSeen()).isEqualTo(1);
    assertThat(connectivity.flushSeen()).isZero();

    restartServer();
    assertThat(Instant.parse(connection("pump-1").path("lastSeen").asText())).isEqualTo(lastSeen);
  }

  /** A keep-alive timeout takes the device offline with its reason, announced after the connect, in order. */
  @Test
  void keepAliveTimeoutMarksOfflineWithReasonAndBothEventsArePublished() {
    List<DomainEvent> events = new CopyOnWriteArrayList<>();
    server.services().events().subscribe(events::add);
    DeviceConnection connected = connectivity.connected(TENANT, PUMP_1, "10.0.0.5:40000", "mqtt-5");
    String connectionId = connected.connectionId().orElseThrow();
    assertThat(connectivity.disconnected(TENANT, PUMP_1, connectionId, "keep-alive timeout")).isTrue();

    JsonNode connection = connection("pump-1");
    assertThat(connection.path("online").asBoolean()).isFalse();
    assertThat(connection.path("lastDisconnectReason").asText()).isEqualTo("keep-alive timeout");
    assertThat(connection.path("clientAddress").asText()).isEqualTo("10.0.0.5:40000");
    assertThat(ids("/api/v1/devices?online=true")).isEmpty();

    assertThat(events).extracting(DomainEvent::type).containsExactly("device.connected", "device.disconnected");
    assertThat(events).allSatisfy(e -> {
      assertThat(e.tenant()).isEqualTo(TENANT);
      assertThat(e.entityType()).isEqualTo("device");
      assertThat(e.entityId()).isEqualTo("pump-1");
      assertThat(e.data().path("connectionId").asText()).isEqualTo(connectionId);
      assertThat(e.data().path("clientAddress").asText()).isEqualTo("10.0.0.5:40000");
      assertThat(e.data().path("protocol").asText()).isEqualTo("mqtt-5");
    });
    assertThat(events.get(0).data().has("reason")).isFalse();
    assertThat(events.get(0).at()).isEqualTo(Instant.parse(connection.path("connectedSince").asText()));
    assertThat(events.get(1).data().path("reason").asText()).isEqualTo("keep-alive timeout");
    assertThat(events.get(1).at()).isEqualTo(Instant.parse(connection.path("disconnectedAt").asText()));
  }

  /** A device still online when the server stopped reads offline after the restart, for reason "server restart". */
  @Test
  void restartMarksDevicesThatWereOnlineOfflineWithReasonServerRestart() {
    connectivity.connected(TENANT, PUMP_1, "10.0.0.5:40000", "mqtt-5");
    assertThat(connection("pump-1").path("online").asBoolean()).isTrue();

    restartServer();

    JsonNode connection = connection("pump-1");
    assertThat(connection.path("online").asBoolean()).isFalse();
    assertThat(connection.path("lastDisconnectReason").asText()).isEqualTo("server restart");
    assertThat(connection.has("disconnectedAt")).isTrue();
    assertThat(ids("/api/v1/devices?online=false")).containsExactly("pump-1", "pump-2");
    List<DomainEvent> events = new CopyOnWriteArrayList<>();
    server.services().events().subscribe(events::add);
    assertThat(connectivity.startup()).as("the server already did it while starting").isZero();
    assertThat(events).isEmpty();
  }

  /** The end of a connection that a newer one took over arrives late and leaves the device online. */
  @Test
  void lateDisconnectOfATakenOverConnectionLeavesTheDeviceOnline() throws InterruptedException {
    List<DomainEvent> events = new CopyOnWriteArrayList<>();
    server.services().events().subscribe(events::add);
    DeviceConnection first = connectivity.connected(TENANT, PUMP_1, "10.0.0.5:40000", "mqtt-5");
    Thread.sleep(5);
    DeviceConnection second = connectivity.connected(TENANT, PUMP_1, "10.0.0.6:40001", "mqtt-5");

    assertThat(connectivity.disconnected(TENANT, PUMP_1, first.connectionId().orElseThrow(), "taken over"))
        .isFalse();

    JsonNode connection = connection("pump-1");
    assertThat(connection.path("online").asBoolean()).isTrue();
    assertThat(connection.path("clientAddress").asText()).isEqualTo("10.0.0.6:40001");
    assertThat(Instant.parse(connection.path("connectedSince").asText()))
        .isEqualTo(second.connectedSince().orElseThrow()).isAfter(first.connectedSince().orElseThrow());
    assertThat(connection.has("lastDisconnectReason")).isFalse();
    assertThat(ids("/api/v1/devices?online=true")).containsExactly("pump-1");
    assertThat(events).extracting(DomainEvent::type).containsExactly("device.connected", "device.connected");
  }

  private JsonNode connection(String deviceId) {
    ApiClient.Response response = api.get("/api/v1/devices/" + deviceId + "/connection");
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  private List<String> ids(String path) {
    ApiClient.Response response = api.get(path);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json().path("items").findValuesAsText("id");
  }

  private void startServer() {
    server = TestServers.start(dataDir, Optional.empty());
    api = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    connectivity = server.services().connectivity();
  }

  /** Stops the server and starts it again on the same data folder, as a restart of the process would. */
  private void restartServer() {
    server.close();
    startServer();
  }
}
