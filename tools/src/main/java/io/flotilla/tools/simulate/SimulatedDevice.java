package io.flotilla.tools.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import io.flotilla.device.BufferFullException;
import io.flotilla.device.Command;
import io.flotilla.device.CommandResult;
import io.flotilla.device.DeviceListener;
import io.flotilla.device.FlotillaDevice;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One virtual device: an SDK device whose sensors publish every {@code interval}, that answers the
 * commands {@code echo} (the payload back), {@code reboot} (sensors restart) and {@code set-interval}
 * ({@code {"seconds": s}} or a bare number), and applies the desired {@code interval} (seconds, &gt; 0)
 * and {@code mode} (text) from twin deltas, reporting back what it applied.
 */
final class SimulatedDevice implements DeviceListener {
  private final String id;
  private final FlotillaDevice device;
  private final ScheduledExecutorService scheduler;
  private final SensorProfile profile;
  private final SimulationStats stats;
  private final SplittableRandom random;
  private final long startNanos = System.nanoTime();
  private List<Sensor> sensors;
  private ScheduledFuture<?> publishing;
  private volatile long intervalMillis;
  private long seq;
  private boolean stopped;

  SimulatedDevice(String id, FlotillaDevice.Builder builder, ScheduledExecutorService scheduler,
      SensorProfile profile, Duration interval, SimulationStats stats, long seed) {
    this.id = id;
    this.scheduler = scheduler;
    this.profile = profile;
    this.stats = stats;
    this.random = new SplittableRandom(seed);
    this.sensors = profile.sensors(random.split());
    this.intervalMillis = Math.max(1, interval.toMillis());
    this.device = builder.listener(this).build();
    device.onCommand("echo", command -> CommandResult.success(command.payload()));
    device.onCommand("reboot", this::reboot);
    device.onCommand("set-interval", this::setInterval);
    device.onDesiredChanged(this::desiredChanged);
  }

  String id() {
    return id;
  }

  boolean isConnected() {
    return device.isConnected();
  }

  long buffered() {
    return device.pendingTelemetry();
  }

  /** Connects and starts publishing after a random part of one interval, so devices spread over time. */
  synchronized void start() {
    device.start();
    schedule(random.nextLong(intervalMillis));
  }

  private synchronized void schedule(long initialDelayMillis) {
    if (stopped) {
      return;
    }
    if (publishing != null) {
      publishing.cancel(false);
    }
    // The timer threads also run every device's keep-alives and backoffs: a reading (JSON, buffer, Paho) is
    // built and sent on one of the scheduler's other threads.
    publishing = scheduler.scheduleAtFixedRate(() -> scheduler.execute(this::publishReading), initialDelayMillis,
        intervalMillis, TimeUnit.MILLISECONDS);
  }

  private void publishReading() {
    ObjectNode reading = Json.object();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    synchronized (this) {
      reading.put("seq", ++seq);
      for (Sensor sensor : sensors) {
        OptionalDouble value = sensor.read(seconds, random);
        if (value.isPresent()) {
          reading.put(sensor.key(), value.getAsDouble());
        }
      }
    }
    try {
      device.publish(reading);
      stats.sent.increment();
    } catch (BufferFullException e) {
      stats.bufferFull.increment();
    } catch (IllegalStateException e) {
      // closed while stopping
    }
  }

  private CommandResult reboot(Command command) {
    synchronized (this) {
      sensors = profile.sensors(random.split());
    }
    return CommandResult.success(Json.object().put("rebootedAt", Instant.now().toString()));
  }

  private CommandResult setInterval(Command command) {
    JsonNode p = command.payload();
    double seconds = p.isNumber() ? p.asDouble() : p.path("seconds").asDouble(-1);
    if (!applyInterval(seconds)) {
      return CommandResult.failure("set-interval needs {\"seconds\": s} with 0 < s <= 86400, was " + p);
    }
    return CommandResult.success(Json.object().put("seconds", seconds));
  }

  /** Publishes every {@code seconds} from now on when 0 < seconds ≤ one day; false (and no change) otherwise. */
  private boolean applyInterval(double seconds) {
    if (!(seconds > 0) || seconds > 86_400) {
      return false;
    }
    intervalMillis = Math.max(1, Math.round(seconds * 1000));
    schedule(intervalMillis);
    return true;
  }

  private void desiredChanged(ObjectNode delta, long version) {
    ObjectNode applied = Json.object();
    JsonNode interval = delta.get("interval");
    if (interval != null && interval.isNumber() && applyInterval(interval.asDouble())) {
      applied.set("interval", interval);
    }
    JsonNode mode = delta.get("mode");
    if (mode != null && mode.isTextual()) {
      applied.set("mode", mode);
    }
    if (!applied.isEmpty()) {
      device.reportTwin(applied).whenComplete((v, e) -> {
        if (e == null) {
          stats.twinUpdates.increment();
        } else {
          stats.errors.increment();
        }
      });
    }
  }

  /** Stops the sensors; what is buffered is still sent while connected. */
  synchronized void stopPublishing() {
    stopped = true;
    if (publishing != null) {
      publishing.cancel(false);
    }
  }

  synchronized void close() {
    stopPublishing();
    device.close();
  }

  @Override
  public void disconnected(String reason, long retryInMillis) {
    stats.errors.increment();
  }

  @Override
  public void telemetryAcknowledged(long seqNumber) {
    stats.acknowledged.increment();
  }

  @Override
  public void telemetryRefused(long seqNumber, String reason) {
    stats.refused.increment();
  }

  @Override
  public void commandAnswered(Command command, CommandResult result) {
    stats.commands.increment();
  }
}
