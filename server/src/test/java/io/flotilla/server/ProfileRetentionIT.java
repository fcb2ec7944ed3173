package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.access.Principal;
import io.flotilla.core.device.RetentionPolicy;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention per device profile through the real server: how the API shows, checks and changes it, and that the
 * lifecycle job expires each profile's raw points by its own retention — after rolling them up — also when the
 * retention was set before a restart. Time is moved by a clock the test controls.
 */
@Timeout(120)
class ProfileRetentionIT {
  private static final String DEFAULT_RETENTION = "{\"rawDays\":30,\"minuteDays\":90,\"hourDays\":730}";
  private static final int READINGS = 40;

  @TempDir
  Path dataDir;
  private final ShiftedClock clock = new ShiftedClock();
  private FlotillaServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * A profile without a retention shows the default; a patch sets one tier (the others keep the default), is
   * audited and bumps the version; a patch of other fields leaves the retention alone; null returns to the
   * default; rules broken are refused with the field and the reason.
   */
  @Test
  void retentionIsShownPatchedAuditedAndChecked() {
    server = FlotillaServer.start(config(), clock);
    ApiClient admin = admin();
    ApiClient.Response created = admin.post("/api/v1/device-profiles", "{\"id\":\"thermo\"}");
    assertThat(created.json().path("retention").toString()).isEqualTo(DEFAULT_RETENTION);

    ApiClient.Response renamed = admin.patch("/api/v1/device-profiles/thermo", "{\"name\":\"Thermometer\"}", "\"1\"");
    assertThat(renamed.json().path("retention").toString()).isEqualTo(DEFAULT_RETENTION);
    assertThat(ownRetention("thermo")).as("a patch of the name pins no retention").isEmpty();

    ApiClient.Response shortened =
        admin.patch("/api/v1/device-profiles/thermo", "{\"retention\":{\"rawDays\":1}}", "\"2\"");
    assertThat(shortened.status()).as(shortened.toString()).isEqualTo(200);
    assertThat(shortened.etag()).isEqualTo("\"3\"");
    assertThat(shortened.json().path("retention").toString())
        .isEqualTo("{\"rawDays\":1,\"minuteDays\":90,\"hourDays\":730}");
    JsonNode audit = admin.get("/api/v1/audit?entityType=profile&entityId=thermo&limit=1").json().path("items").get(0);
    assertThat(audit.path("action").asText()).isEqualTo("profile.update");
    assertThat(audit.path("before").path("retention").path("rawDays").asLong()).isEqualTo(30);
    assertThat(audit.path("after").path("retention").path("rawDays").asLong()).isEqualTo(1);

    ApiClient.Response refused =
        admin.patch("/api/v1/device-profiles/thermo", "{\"retention\":{\"minuteDays\":1000}}", "\"3\"");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("retention.hourDays");
    assertThat(refused.json().path("errors").get(0).path("message").asText())
        .startsWith("is 730 but must be at least minuteDays (1000)");
    assertThat(admin.post("/api/v1/device-profiles", "{\"id\":\"x\",\"retention\":{\"rawDays\":36501}}").status())
        .isEqualTo(422);

    ApiClient.Response reset = admin.patch("/api/v1/device-profiles/thermo", "{\"retention\":null}", "\"3\"");
    assertThat(reset.json().path("retention").toString()).isEqualTo(DEFAULT_RETENTION);
    assertThat(ownRetention("thermo")).isEmpty();
  }

  /**
   * Two profiles get readings of the same times: after two days the one keeping raw points one day has them
   * rolled up and deleted, and answers aggregates from the rollups; the one with the default keeps them. The
   * retention is set before a restart and applied by the restarted server.
   */
  @Test
  void shortRawRetentionExpiresRolledUpPointsWhileTheDefaultKeepsThemAcrossARestart() {
    server = FlotillaServer.start(config(), clock);
    ApiClient admin = admin();
    admin.post("/api/v1/device-profiles", "{\"id\":\"probe\",\"retention\":{\"rawDays\":1}}");
    admin.post("/api/v1/device-profiles", "{\"id\":\"thermo\"}");
    admin.post("/api/v1/devices", "{\"id\":\"p-1\",\"profile\":\"probe\"}");
    admin.post("/api/v1/devices", "{\"id\":\"t-1\",\"profile\":\"thermo\"}");
    Instant t0 = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
    postReadings("p-1", t0);
    postReadings("t-1", t0);
    String hour = "from=" + t0 + "&to=" + t0.plus(1, ChronoUnit.HOURS);
    assertThat(rawPoints(admin, "p-1", hour)).isEqualTo(READINGS);

    server.close();
    server = FlotillaServer.start(config(), clock);
    ApiClient restarted = admin();
    assertThat(restarted.get("/api/v1/device-profiles/probe").json().path("retention").path("rawDays").asLong())
        .isEqualTo(1);

    clock.advance(Duration.ofDays(2));
    await().atMost(Duration.ofSeconds(30)).until(() -> rawPoints(restarted, "p-1", hour) == 0);

    assertThat(rawPoints(restarted, "t-1", hour)).as("the default keeps raw points 30 days").isEqualTo(READINGS);
    JsonNode rolledUp = restarted.get("/api/v1/devices/p-1/telemetry?key=temp&bucket=1h&agg=count,min,max&" + hour)
        .json().path("series").get(0).path("buckets").get(0);
    assertThat(rolledUp.path("count").asLong()).as("rolled up before deleted").isEqualTo(READINGS);
    assertThat(rolledUp.path("min").asDouble()).isEqualTo(0);
    assertThat(rolledUp.path("max").asDouble()).isEqualTo(READINGS - 1);
    JsonNode lifecycle = restarted.get("/api/v1/telemetry/lifecycle").json();
    assertThat(lifecycle.has("error")).as(lifecycle.toString()).isFalse();
  }

  /** The test configuration with the lifecycle job running every second instead of every minute. */
  private ServerConfig config() {
    ServerConfig.TelemetryLimits sizes = ServerConfig.TelemetryLimits.DEFAULTS;
    return TestServers.config(dataDir).withTelemetry(new ServerConfig.TelemetryLimits(sizes.maxPayloadBytes(),
        sizes.writers(), sizes.batchPoints(), sizes.queuePoints(), sizes.rejectedKept(), 1));
  }

  private ApiClient admin() {
    return new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
  }

  private Optional<RetentionPolicy> ownRetention(String profile) {
    return server.services().profiles().get(Principal.system(TenantId.DEFAULT), profile).retention();
  }

  /** One reading every 30 s from {@code t0}, temp = its index, posted by the device as one batch. */
  private void postReadings(String deviceId, Instant t0) {
    ApiClient admin = admin();
    String secret = admin.post("/api/v1/devices/" + deviceId + "/credentials", "{}").json().path("token").asText();
    StringJoiner batch = new StringJoiner(",", "[", "]");
    for (int i = 0; i < READINGS; i++) {
      batch.add("{\"ts\":" + t0.plusSeconds(30L * i).toEpochMilli() + ",\"temp\":" + i + "}");
    }
    ApiClient.Response posted = new ApiClient(server.httpPort(), Optional.empty()).asDevice(deviceId, secret)
        .post("/device/v1/telemetry", batch.toString());
    assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
  }

  private static int rawPoints(ApiClient admin, String deviceId, String range) {
    return admin.get("/api/v1/devices/" + deviceId + "/telemetry?limit=1000&" + range).json().path("items").size();
  }

  /** The system clock in whole milliseconds, shifted forward when told: time still flows, so the jobs run. */
  static final class ShiftedClock extends Clock {
    private volatile Duration shift = Duration.ZERO;

    synchronized void advance(Duration by) {
      shift = shift.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(shift).truncatedTo(ChronoUnit.MILLIS);
    }
  }
}
