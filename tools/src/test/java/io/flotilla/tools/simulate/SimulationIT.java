package io.flotilla.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.server.FlotillaServer;
import io.flotilla.server.config.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator against the real server in-process: 50 devices registered through the REST API,
 * connected, publishing; every acknowledged message stored exactly once; direct commands sent through the REST
 * API answered with the handlers' results; a desired change set through the API applied and reported back;
 * progress printed once a second.
 */
@Timeout(180)
class SimulationIT {
  static final String ADMIN_TOKEN = "simulation-test-admin-token-0123456789";
  @TempDir
  Path dataDir;
  FlotillaServer server;
  OperatorApi api;

  @BeforeEach
  void startServer() {
    server = FlotillaServer.start(ServerConfig.forTests(dataDir).withAdminToken(ADMIN_TOKEN));
    api = new OperatorApi(server.httpPort(), ADMIN_TOKEN);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void fiftyDevicesRegisterPublishAndAnswerCommands() throws Exception {
    SimulationOptions options = new SimulationOptions(URI.create("http://127.0.0.1:" + server.httpPort()),
        "tcp://127.0.0.1:" + server.mqttPort(), ADMIN_TOKEN, 50, 5, "sim-", "simulated", "environment", 500,
        Duration.ZERO, 1 << 20, Optional.empty());
    StringWriter printed = new StringWriter();
    Simulation simulation = new Simulation(options, new PrintWriter(printed, true));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread running = Thread.ofPlatform().start(() -> {
      try {
        simulation.run();
      } catch (Throwable e) {
        failure.set(e);
      }
    });

    await().atMost(Duration.ofSeconds(60)).until(() -> printed.toString().contains("connected 50/50"));
    JsonNode echo = api.direct("sim-00007", "echo", "{\"hello\":1}");
    assertThat(echo.path("status").asText()).isEqualTo("succeeded");
    assertThat(echo.path("result").toString()).isEqualTo("{\"hello\":1}");
    JsonNode interval = api.direct("sim-00008", "set-interval", "{\"seconds\":0.1}");
    assertThat(interval.path("status").asText()).isEqualTo("succeeded");
    assertThat(interval.path("result").toString()).isEqualTo("{\"seconds\":0.1}");
    JsonNode listed = api.get("/api/v1/devices/sim-00007/commands");
    assertThat(listed.path("items")).hasSize(1);
    assertThat(listed.path("items").get(0).path("id").asText()).isEqualTo(echo.path("id").asText());

    api.patch("/api/v1/devices/sim-00010/twin", "{\"desired\":{\"mode\":\"eco\",\"colour\":\"red\"}}", 200);
    await().atMost(Duration.ofSeconds(10)).until(() -> simulation.stats().twinUpdates() == 1);
    JsonNode twin = api.get("/api/v1/devices/sim-00010/twin");
    assertThat(twin.path("reported").toString()).isEqualTo("{\"mode\":\"eco\"}");
    assertThat(twin.path("delta").toString()).isEqualTo("{\"colour\":\"red\"}");

    Thread.sleep(2000);
    simulation.stop();
    running.join(Duration.ofSeconds(60));
    assertThat(failure.get()).isNull();

    SimulationStats stats = simulation.stats();
    assertThat(stats.refused()).isZero();
    assertThat(stats.commands()).isEqualTo(2);
    assertThat(stats.twinUpdates()).isEqualTo(1);
    assertThat(stats.acknowledged()).isEqualTo(stats.sent()).isGreaterThan(250);
    JsonNode devices = api.get("/api/v1/devices?idPrefix=sim-&limit=100");
    assertThat(devices.path("items")).hasSize(50);
    long stored = 0;
    for (String id : simulation.deviceIds()) {
      stored += storedSeqs(id).size();
    }
    if (stats.errors() == 0) {
      assertThat(stored).isEqualTo(stats.acknowledged());
    } else {
      // a connection lost under load: messages whose PUBACK it took were sent again (at least once)
      assertThat(stored).isGreaterThanOrEqualTo(stats.acknowledged());
    }
    List<Long> faster = storedSeqs("sim-00008");
    assertThat(faster.size()).as("sim-00008 publishes every 0.1 s after set-interval")
        .isGreaterThan(storedSeqs("sim-00009").size());
    assertThat(printed.toString()).contains("Registering 50 simulated devices").contains("Done: ");
  }

  /** A second run over the same ids registers nothing new and still connects every device. */
  @Test
  void aSecondRunReusesTheRegisteredDevices() throws Exception {
    for (int run = 0; run < 2; run++) {
      SimulationOptions options = new SimulationOptions(URI.create("http://127.0.0.1:" + server.httpPort()),
          "tcp://127.0.0.1:" + server.mqttPort(), ADMIN_TOKEN, 5, 2, "again-", "simulated", "sine", 100,
          Duration.ofSeconds(3), 1 << 20, Optional.empty());
      StringWriter printed = new StringWriter();
      SimulationStats stats = new Simulation(options, new PrintWriter(printed, true)).run();
      assertThat(printed.toString()).contains(run == 0 ? "5 new, 0 registered before" : "0 new, 5 registered before");
      assertThat(stats.acknowledged()).isPositive();
      assertThat(stats.errors()).isZero();
    }
  }

  private List<Long> storedSeqs(String id) throws Exception {
    Instant now = Instant.now();
    JsonNode page = api.get("/api/v1/devices/" + id + "/telemetry?key=seq&limit=10000&from="
        + now.minus(1, ChronoUnit.HOURS) + "&to=" + now.plus(1, ChronoUnit.HOURS));
    assertThat(page.hasNonNull("nextCursor")).isFalse();
    return page.path("items").findValues("value").stream().map(JsonNode::asLong).toList();
  }
}
