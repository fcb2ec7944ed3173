package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queued commands are durable: queued for an offline device, the server stopped and started again on the same data
 * folder, the device connects and gets exactly the command still pending — not the one cancelled before the stop.
 */
@Timeout(90)
class CommandRestartIT {
  @TempDir
  Path dataDir;

  @Test
  void queuedCommandSurvivesARestartAndIsDeliveredOnce() throws Exception {
    String token;
    String pending;
    String cancelled;
    try (FlotillaServer server = TestServers.start(dataDir, Optional.empty())) {
      ApiClient admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
      admin.post("/api/v1/device-profiles", "{\"id\":\"pump\"}");
      admin.post("/api/v1/devices", "{\"id\":\"pump-1\",\"profile\":\"pump\"}");
      token = admin.post("/api/v1/devices/pump-1/credentials", "{}").json().path("token").asText();
      cancelled = admin.post("/api/v1/devices/pump-1/commands", "{\"name\":\"old\",\"mode\":\"queued\"}").json()
          .path("id").asText();
      assertThat(admin.post("/api/v1/devices/pump-1/commands/" + cancelled + "/cancel", "").status()).isEqualTo(200);
      ApiClient.Response queued = admin.post("/api/v1/devices/pump-1/commands",
          "{\"name\":\"reboot\",\"payload\":{\"reason\":\"restart test\"},\"mode\":\"queued\",\"ttlSeconds\":3600}");
      assertThat(queued.status()).isEqualTo(202);
      pending = queued.json().path("id").asText();
    }

    try (FlotillaServer server = TestServers.start(dataDir, Optional.empty());
        CommandDevice device = CommandDevice.connect(server.mqttPort(), "pump-1", token)) {
      ApiClient admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
      CommandDevice.Received command = device.nextCommand();
      JsonNode body = Json.readTrusted(command.payload());
      assertThat(body.path("id").asText()).isEqualTo(pending);
      assertThat(body.path("payload").path("reason").asText()).isEqualTo("restart test");
      await().atMost(Duration.ofSeconds(5)).until(() -> admin.get("/api/v1/devices/pump-1/commands/" + pending)
          .json().path("status").asText(), "delivered"::equals);
      assertThat(device.answer(command, "{\"status\":\"succeeded\"}").getReasonCodes()).containsExactly(0);

      JsonNode done = admin.get("/api/v1/devices/pump-1/commands/" + pending).json();
      assertThat(done.path("status").asText()).isEqualTo("succeeded");
      assertThat(done.path("attempts").asInt()).isEqualTo(1);
      assertThat(device.commands.poll(2, TimeUnit.SECONDS)).as("nothing else arrives").isNull();
      assertThat(admin.get("/api/v1/devices/pump-1/commands/" + cancelled).json().path("status").asText())
          .isEqualTo("cancelled");
    }
  }
}
