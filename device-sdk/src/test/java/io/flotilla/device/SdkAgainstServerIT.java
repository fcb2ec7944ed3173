package io.flotilla.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.twin.TwinLimits;
import io.flotilla.device.example.ThermostatExample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK against the real server in-process, driven through the REST API as an operator would: desired state
 * set over REST reaches {@code onDesiredChanged}, reports shrink the delta, {@code getTwin} reads the document, a
 * device offline when desired changed gets the delta on connecting; the runnable {@link ThermostatExample} (a forked
 * JVM) answers a direct command; a queued command waits for an offline device and is answered once it connects; a
 * report over the server's configured twin limit fails with the server's reason.
 */
@Timeout(120)
class SdkAgainstServerIT {
  @TempDir
  Path dataDir;
  @TempDir
  Path bufferDir;
  PlatformServer platform;
  final List<FlotillaDevice> devices = new ArrayList<>();
  final List<Process> processes = new ArrayList<>();

  record Delta(ObjectNode delta, long version) {}

  @BeforeEach
  void start() {
    platform = new PlatformServer(dataDir);
  }

  @AfterEach
  void stop() {
    devices.forEach(FlotillaDevice::close);
    processes.forEach(Process::destroyForcibly);
    platform.close();
  }

  FlotillaDevice device(String id, String token) {
    FlotillaDevice d = FlotillaDevice.builder(platform.mqttUri(), id).token(token)
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(10)).build();
    devices.add(d);
    return d;
  }

  /** Desired set over REST arrives with its version; each report shrinks the delta the API shows, to nothing. */
  @Test
  void desiredSetThroughTheApiReachesTheDeviceAndItsReportsShrinkTheDelta() throws Exception {
    String token = platform.registerDevice("thermo", null, "tw-1");
    BlockingQueue<Delta> deltas = new LinkedBlockingQueue<>();
    FlotillaDevice d = device("tw-1", token);
    d.onDesiredChanged((delta, version) -> deltas.add(new Delta(delta, version)));
    d.start();
    await().atMost(Duration.ofSeconds(10)).until(d::isConnected);

    long desiredVersion = platform.patch("/api/v1/devices/tw-1/twin",
        "{\"desired\":{\"mode\":\"eco\",\"threshold\":5}}", 200).path("version").asLong();
    Delta first = deltas.poll(10, TimeUnit.SECONDS);
    assertThat(first).as("a delta within 10 s").isNotNull();
    assertThat(first.delta().toString()).isEqualTo("{\"mode\":\"eco\",\"threshold\":5}");
    assertThat(first.version()).isEqualTo(desiredVersion);

    long afterMode = d.reportTwin(DeviceJson.object().put("mode", "eco").put("firmware", "1.4.2"))
        .get(10, TimeUnit.SECONDS);
    assertThat(afterMode).isEqualTo(desiredVersion + 1);
    JsonNode twin = platform.get("/api/v1/devices/tw-1/twin");
    assertThat(twin.path("delta").toString()).isEqualTo("{\"threshold\":5}");
    assertThat(twin.path("reported").path("firmware").asText()).isEqualTo("1.4.2");

    long afterThreshold = d.reportTwin(DeviceJson.object().put("threshold", 5)).get(10, TimeUnit.SECONDS);
    assertThat(platform.get("/api/v1/devices/tw-1/twin").path("delta").isEmpty()).isTrue();

    Twin read = d.getTwin().get(10, TimeUnit.SECONDS);
    assertThat(read.name()).isEqualTo("default");
    assertThat(read.version()).isEqualTo(afterThreshold);
    assertThat(read.desired().toString()).isEqualTo("{\"mode\":\"eco\",\"threshold\":5}");
    assertThat(read.reported().path("mode").asText()).isEqualTo("eco");
    assertThat(read.reported().path("threshold").asInt()).isEqualTo(5);
    assertThat(read.delta().isEmpty()).isTrue();
    assertThat(read.metadata().path("reported").path("threshold").has("updatedAt")).isTrue();
    assertThat(deltas).as("reports raise no delta notification").isEmpty();
  }

  /** A named twin lives on its own topics: its delta reaches its own listener only, and its report clears it. */
  @Test
  void aNamedTwinIsSetReportedAndReadApartFromTheDefault() throws Exception {
    String token = platform.registerDevice("thermo", null, "tw-4");
    BlockingQueue<Delta> named = new LinkedBlockingQueue<>();
    BlockingQueue<Delta> unnamed = new LinkedBlockingQueue<>();
    FlotillaDevice d = device("tw-4", token);
    d.onDesiredChanged("config", (delta, version) -> named.add(new Delta(delta, version)));
    d.onDesiredChanged((delta, version) -> unnamed.add(new Delta(delta, version)));
    d.start();
    await().atMost(Duration.ofSeconds(10)).until(d::isConnected);

    long version = platform.patch("/api/v1/devices/tw-4/twins/config", "{\"desired\":{\"interval\":30}}", 200)
        .path("version").asLong();
    Delta got = named.poll(10, TimeUnit.SECONDS);
    assertThat(got).as("the named twin's delta").isNotNull();
    assertThat(got.delta().toString()).isEqualTo("{\"interval\":30}");
    assertThat(got.version()).isEqualTo(version);

    d.reportTwin("config", DeviceJson.object().put("interval", 30)).get(10, TimeUnit.SECONDS);
    assertThat(platform.get("/api/v1/devices/tw-4/twins/config").path("delta").isEmpty()).isTrue();
    Twin read = d.getTwin("config").get(10, TimeUnit.SECONDS);
    assertThat(read.name()).isEqualTo("config");
    assertThat(read.reported().toString()).isEqualTo("{\"interval\":30}");
    assertThat(d.getTwin().get(10, TimeUnit.SECONDS).desired().isEmpty()).isTrue();
    assertThat(unnamed).isEmpty();
  }

  /** Desired changed twice while the device was away: on connecting it gets the current delta, once, at its version. */
  @Test
  void aDeviceOfflineWhenDesiredChangedGetsTheDeltaWhenItConnects() throws Exception {
    String token = platform.registerDevice("thermo", null, "tw-2");
    platform.patch("/api/v1/devices/tw-2/twin", "{\"desired\":{\"targetTemperature\":19.5}}", 200);
    long version = platform.patch("/api/v1/devices/tw-2/twin", "{\"desired\":{\"intervalSeconds\":2}}", 200)
        .path("version").asLong();

    BlockingQueue<Delta> deltas = new LinkedBlockingQueue<>();
    FlotillaDevice d = device("tw-2", token);
    d.onDesiredChanged((delta, v) -> deltas.add(new Delta(delta, v)));
    d.start();
    Delta got = deltas.poll(10, TimeUnit.SECONDS);
    assertThat(got).as("the delta on connecting").isNotNull();
    assertThat(got.delta().path("targetTemperature").asDouble()).isEqualTo(19.5);
    assertThat(got.delta().path("intervalSeconds").asInt()).isEqualTo(2);
    assertThat(got.version()).isEqualTo(version);
    assertThat(deltas.poll(1, TimeUnit.SECONDS)).isNull();
  }

  /**
   * The example, started as its README says in a JVM of its own, applies the desired values it knows and
   * answers {@code reboot} sent as a direct command: 200, succeeded, with its handler's result.
   */
  @Test
  void theThermostatExampleAppliesItsTwinAndAnswersADirectCommand() throws Exception {
    String token = platform.registerDevice("thermo", null, "thermostat-1");
    platform.patch("/api/v1/devices/thermostat-1/twin", "{\"desired\":{\"targetTemperature\":22.5,\"colour\":\"red\"}}",
        200);
    DeviceRestartIT.Child example = forkExample("thermostat-1", token);
    example.awaitLine("connected");
    String onConnect = null;
    boolean applied = false;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while ((onConnect == null || !applied) && System.nanoTime() < deadline) {
      String line = example.lines.poll(1, TimeUnit.SECONDS);
      if (line != null && line.startsWith("twin on connect")) {
        onConnect = line;
      }
      applied |= line != null && line.startsWith("twin version");
    }
    assertThat(applied).as("the example applied its delta").isTrue();
    assertThat(onConnect).as("the example read its whole twin on connect").isNotNull()
        .contains("\"colour\":\"red\"").contains("\"targetTemperature\":22.5");
    JsonNode twin = platform.get("/api/v1/devices/thermostat-1/twin");
    assertThat(twin.path("reported").toString()).isEqualTo("{\"targetTemperature\":22.5}");
    assertThat(twin.path("delta").toString()).isEqualTo("{\"colour\":\"red\"}");

    JsonNode reboot = platform.post("/api/v1/devices/thermostat-1/commands",
        "{\"name\":\"reboot\",\"payload\":{},\"mode\":\"direct\",\"timeoutSeconds\":10}", 200);
    assertThat(reboot.path("status").asText()).isEqualTo("succeeded");
    assertThat(reboot.path("result").toString()).isEqualTo("{\"rebooting\":true}");
    assertThat(reboot.has("deliveredAt")).isTrue();

    JsonNode refused = platform.post("/api/v1/devices/thermostat-1/commands",
        "{\"name\":\"set-interval\",\"payload\":{\"seconds\":0},\"mode\":\"direct\",\"timeoutSeconds\":10}", 200);
    assertThat(refused.path("status").asText()).isEqualTo("failed");
    assertThat(refused.path("message").asText()).contains("set-interval needs");
  }

  /** A queued command waits (202, queued) for an offline device; once it connects, delivered and then succeeded. */
  @Test
  void aQueuedCommandToAnOfflineDeviceIsDeliveredAndAnsweredWhenItConnects() throws Exception {
    String token = platform.registerDevice("pump", null, "pump-2");
    JsonNode queued = platform.post("/api/v1/devices/pump-2/commands",
        "{\"name\":\"set-speed\",\"payload\":{\"rpm\":1200},\"mode\":\"queued\",\"ttlSeconds\":600}", 202);
    assertThat(queued.path("status").asText()).isEqualTo("queued");
    String path = "/api/v1/devices/pump-2/commands/" + queued.path("id").asText();
    Thread.sleep(1500);
    assertThat(platform.get(path).path("status").asText()).as("nobody to deliver to").isEqualTo("queued");

    AtomicReference<Command> ran = new AtomicReference<>();
    FlotillaDevice d = device("pump-2", token);
    d.onCommand("set-speed", command -> {
      ran.set(command);
      return CommandResult.success(DeviceJson.object().put("rpm", command.payload().path("rpm").asInt()));
    });
    d.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> platform.get(path).path("status").asText().equals("succeeded"));
    JsonNode done = platform.get(path);
    assertThat(done.path("result").toString()).isEqualTo("{\"rpm\":1200}");
    assertThat(done.has("deliveredAt")).isTrue();
    assertThat(done.path("attempts").asInt()).isPositive();
    assertThat(ran.get().id()).isEqualTo(queued.path("id").asText());
    assertThat(ran.get().expiresAt()).isPresent();
  }

  /**
   * The connection drops while a handler runs, so its answer cannot go out: the SDK keeps it and sends it after
   * reconnecting, and the platform, which saw the command delivered and is still waiting, takes it.
   */
  @Test
  void anAnswerThatCouldNotBeSentIsSentAfterReconnecting() throws Exception {
    String token = platform.registerDevice("pump", null, "pump-3");
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FlotillaDevice d = device("pump-3", token);
    d.onCommand("calibrate", command -> {
      running.countDown();
      assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
      return CommandResult.success(DeviceJson.object().put("offset", 0.5));
    });
    d.start();
    await().atMost(Duration.ofSeconds(10)).until(d::isConnected);
    JsonNode queued = platform.post("/api/v1/devices/pump-3/commands",
        "{\"name\":\"calibrate\",\"mode\":\"queued\",\"ttlSeconds\":600}", 202);
    String path = "/api/v1/devices/pump-3/commands/" + queued.path("id").asText();
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> platform.get(path).path("status").asText().equals("delivered"));

    platform.stop();
    await().atMost(Duration.ofSeconds(10)).until(() -> !d.isConnected());
    release.countDown();
    Thread.sleep(500);
    platform.restart();
    await().atMost(Duration.ofSeconds(20)).until(() -> platform.get(path).path("status").asText().equals("succeeded"));
    assertThat(platform.get(path).path("result").toString()).isEqualTo("{\"offset\":0.5}");
  }

  /** A report over the server's configured twin limit fails with the server's reason, and changes nothing. */
  @Test
  void aReportOverTheConfiguredLimitFailsWithTheServersReason() throws Exception {
    platform.close();
    platform = new PlatformServer(dataDir.resolve("small"), c -> c.withTwin(new TwinLimits(128, 10, 1000)));
    String token = platform.registerDevice("thermo", null, "tw-3");
    FlotillaDevice d = device("tw-3", token);
    d.start();
    await().atMost(Duration.ofSeconds(10)).until(d::isConnected);

    assertThatThrownBy(() -> d.reportTwin(DeviceJson.object().put("log", "x".repeat(200))).get(10, TimeUnit.SECONDS))
        .cause().isInstanceOfSatisfying(TwinRejectedException.class, e -> {
          assertThat(e.code()).isEqualTo(413);
          assertThat(e.error()).isEqualTo("too-large");
          assertThat(e.getMessage()).contains("limit of 128");
        });
    assertThat(d.reportTwin(DeviceJson.object().put("log", "short")).get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(platform.get("/api/v1/devices/tw-3/twin").path("reported").toString()).isEqualTo("{\"log\":\"short\"}");
  }

  private DeviceRestartIT.Child forkExample(String id, String token) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ThermostatExample.class.getName(), platform.mqttUri(), id, token, bufferDir.toString())
        .redirectErrorStream(true).start();
    processes.add(p);
    return new DeviceRestartIT.Child(p);
  }
}
