package io.flotilla.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.device.DeviceScheduler;
import io.flotilla.device.FlotillaDevice;
import io.flotilla.server.FlotillaServer;
import io.flotilla.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One simulated device against the real server in-process, driven through the REST API as an operator would: it
 * applies the twin values it understands and reports exactly those back, answers reboot, refuses a bad
 * set-interval, and publishes faster after a good one.
 */
@Timeout(60)
class SimulatedDeviceIT {
  static final String ADMIN_TOKEN = "simulated-device-test-admin-token-0123";
  @TempDir
  Path dataDir;
  FlotillaServer server;
  OperatorApi api;
  final ScheduledExecutorService scheduler = DeviceScheduler.create(1);
  SimulatedDevice device;
  final SimulationStats stats = new SimulationStats();

  @BeforeEach
  void start() {
    server = FlotillaServer.start(ServerConfig.forTests(dataDir).withAdminToken(ADMIN_TOKEN));
    api = new OperatorApi(server.httpPort(), ADMIN_TOKEN);
    api.post("/api/v1/device-profiles", "{\"id\":\"simulated\"}", 201);
    api.post("/api/v1/devices", "{\"id\":\"sim-1\",\"profile\":\"simulated\"}", 201);
    String token = api.post("/api/v1/devices/sim-1/credentials", "{\"type\":\"token\"}", 201).path("token").asText();
    device = new SimulatedDevice("sim-1", FlotillaDevice.builder("tcp://127.0.0.1:" + server.mqttPort(), "sim-1")
        .token(token).scheduler(scheduler), scheduler, SensorProfile.ENVIRONMENT, Duration.ofSeconds(1), stats, 42);
    device.start();
    await().atMost(Duration.ofSeconds(10)).until(device::isConnected);
  }

  @AfterEach
  void stop() {
    device.close();
    scheduler.shutdownNow();
    server.close();
  }

  /** Desired interval, mode and an unknown key: the first two are reported back, the unknown one stays in the delta. */
  @Test
  void appliesAndReportsTheDesiredValuesItUnderstands() {
    long desired = api.patch("/api/v1/devices/sim-1/twin",
        "{\"desired\":{\"interval\":0.5,\"mode\":\"eco\",\"colour\":\"red\"}}", 200).path("version").asLong();
    await().atMost(Duration.ofSeconds(5)).until(() -> stats.twinUpdates() == 1);
    JsonNode twin = api.get("/api/v1/devices/sim-1/twin");
    assertThat(twin.path("reported").toString()).isEqualTo("{\"interval\":0.5,\"mode\":\"eco\"}");
    assertThat(twin.path("delta").toString()).isEqualTo("{\"colour\":\"red\"}");
    assertThat(twin.path("version").asLong()).isEqualTo(desired + 1);
    assertThat(stats.errors()).isZero();
  }

  /** Direct commands through the API get the handlers' answers; set-interval 0.1 s makes the device publish faster. */
  @Test
  void answersCommandsAndPublishesFasterAfterSetInterval() throws Exception {
    JsonNode reboot = api.direct("sim-1", "reboot", "null");
    assertThat(reboot.path("status").asText()).isEqualTo("succeeded");
    assertThat(reboot.path("result").path("rebootedAt").asText()).isNotBlank();
    JsonNode refused = api.direct("sim-1", "set-interval", "{\"seconds\":-1}");
    assertThat(refused.path("status").asText()).isEqualTo("failed");
    assertThat(refused.path("message").asText()).contains("set-interval needs");

    long before = stats.acknowledged();
    Thread.sleep(2000);
    long perTwoSecondsSlow = stats.acknowledged() - before;
    JsonNode faster = api.direct("sim-1", "set-interval", "0.1");
    assertThat(faster.path("status").asText()).isEqualTo("succeeded");
    before = stats.acknowledged();
    Thread.sleep(2000);
    long perTwoSecondsFast = stats.acknowledged() - before;
    assertThat(perTwoSecondsSlow).isBetween(1L, 3L);
    assertThat(perTwoSecondsFast).isGreaterThan(10);
    assertThat(stats.commands()).isEqualTo(3);
    assertThat(api.get("/api/v1/devices/sim-1/commands?status=succeeded").path("items")).hasSize(2);
  }
}
