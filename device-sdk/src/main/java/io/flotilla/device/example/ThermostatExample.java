package io.flotilla.device.example;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.device.BufferFullException;
import io.flotilla.device.CommandResult;
import io.flotilla.device.DeviceListener;
import io.flotilla.device.FlotillaDevice;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A runnable example: a thermostat that publishes its temperature through a disk buffer, applies the
 * desired {@code intervalSeconds} and {@code targetTemperature} from its twin and reports them back, and
 * answers the commands {@code reboot} and {@code set-interval}. Stop it with Ctrl-C; start it again and
 * whatever it buffered while the server was away is sent first.
 *
 * <pre>
 * java -cp 'cli/target/lib/*' io.flotilla.device.example.ThermostatExample \
 *     tcp://localhost:1883 thermostat-1 fdt_… ./thermostat-buffer
 * </pre>
 */
public final class ThermostatExample {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ThermostatExample() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 4) {
      System.err.println("usage: ThermostatExample <tcp://host:port> <device id> <device token> <buffer folder>");
      System.exit(2);
    }
    AtomicLong intervalMillis = new AtomicLong(5000);
    double[] target = {21.0};
    FlotillaDevice device = FlotillaDevice.builder(args[0], args[1])
        .token(args[2])
        .diskBuffer(Path.of(args[3]), 16L * 1024 * 1024)
        .listener(new DeviceListener() {
          @Override
          public void connected() {
            System.out.println("connected");
          }

          @Override
          public void disconnected(String reason, long retryInMillis) {
            System.out.println("offline (" + reason + "), retrying in " + retryInMillis + " ms");
          }

          @Override
          public void telemetryRefused(long seq, String reason) {
            System.out.println("reading " + seq + " refused: " + reason);
          }
        })
        .build();

    device.onCommand("reboot", command -> CommandResult.success(JSON.objectNode().put("rebooting", true)));
    device.onCommand("set-interval", command -> {
      long seconds = command.payload().path("seconds").asLong(0);
      if (seconds < 1) {
        return CommandResult.failure("set-interval needs {\"seconds\": n} with n >= 1");
      }
      intervalMillis.set(seconds * 1000);
      return CommandResult.success();
    });
    device.onDesiredChanged((delta, version) -> {
      ObjectNode applied = JSON.objectNode();
      if (delta.path("intervalSeconds").asLong(0) >= 1) {
        intervalMillis.set(delta.path("intervalSeconds").asLong() * 1000);
        applied.set("intervalSeconds", delta.get("intervalSeconds"));
      }
      if (delta.path("targetTemperature").isNumber()) {
        target[0] = delta.path("targetTemperature").asDouble();
        applied.set("targetTemperature", delta.get("targetTemperature"));
      }
      device.reportTwin(applied).thenAccept(v -> System.out.println("twin version " + version + " applied: " + applied));
    });
    device.onTwin(twin -> System.out.println("twin on connect: version " + twin.version() + ", desired "
        + twin.desired() + ", reported " + twin.reported()));
    Runtime.getRuntime().addShutdownHook(new Thread(device::close));
    device.start();

    double temperature = 19.5;
    while (true) {
      temperature += (target[0] - temperature) * 0.1 + ThreadLocalRandom.current().nextDouble(-0.2, 0.2);
      ObjectNode reading = JSON.objectNode().put("temperature", Math.round(temperature * 100) / 100.0)
          .put("target", target[0]);
      try {
        long seq = device.publish(reading);
        System.out.println("buffered reading " + seq + " " + reading + " (" + device.pendingTelemetry() + " waiting)");
      } catch (BufferFullException e) {
        System.out.println("dropped a reading: " + e.getMessage());
      }
      TimeUnit.MILLISECONDS.sleep(intervalMillis.get());
    }
  }
}
