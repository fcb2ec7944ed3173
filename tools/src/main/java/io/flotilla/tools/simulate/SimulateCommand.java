package io.flotilla.tools.simulate;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla simulate}: a fleet of virtual devices against a running Flotilla server. With no
 * options it talks to the server the README's first command starts (HTTP on 8080, MQTT on 1883) with the
 * admin token that server wrote to {@code ./flotilla-data/admin.token}.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Simulates a fleet of devices against a running Flotilla server: registers them (profile, devices, device"
            + " tokens) through the REST API, connects them over MQTT with the device SDK, publishes sensor readings"
            + " (random walk, sine, step faults, dropouts), answers commands (echo, reboot, set-interval) and twin"
            + " deltas (interval, mode), and prints progress once a second. Ctrl-C stops it."})
public final class SimulateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--server", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
      description = "The server's HTTP address (default: ${DEFAULT-VALUE}).")
  URI server;

  @Option(names = "--mqtt", paramLabel = "URI",
      description = "The MQTT address devices connect to (default: tcp://<host of --server>:1883).")
  String mqtt;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "An admin API token (default: FLOTILLA_ADMIN_TOKEN, else the file <data dir>/admin.token).")
  String token;

  @Option(names = "--data-dir", defaultValue = "./flotilla-data", paramLabel = "DIR",
      description = "Where the server keeps admin.token, when --token is not given (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--devices", defaultValue = "10", description = "Devices to simulate (default: ${DEFAULT-VALUE}).")
  int devices;

  @Option(names = "--rate", defaultValue = "1",
      description = "Telemetry messages per second per device (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
      description = "Seconds to run; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
  long durationSeconds;

  @Option(names = "--ramp", defaultValue = "500", paramLabel = "PER-SECOND",
      description = "Devices connecting per second at most (default: ${DEFAULT-VALUE}).")
  int ramp;

  @Option(names = "--prefix", defaultValue = "sim-",
      description = "Device ids are this prefix and a number: sim-00001, … (default: ${DEFAULT-VALUE}).")
  String prefix;

  @Option(names = "--profile", defaultValue = "simulated",
      description = "The device profile the devices get; created if missing (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(names = "--sensors", defaultValue = "environment",
      description = "environment (temperature, humidity, vibration) or sine (one value) (default: ${DEFAULT-VALUE}).")
  String sensors;

  @Option(names = "--buffer-dir", paramLabel = "DIR",
      description = "Keep each device's store-and-forward buffer on disk under DIR/<id> (default: in memory).")
  Path bufferDir;

  @Option(names = "--buffer-bytes", defaultValue = "1048576",
      description = "Each device's buffer bound in bytes (default: ${DEFAULT-VALUE}).")
  long bufferBytes;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String mqttUri = mqtt != null ? mqtt : "tcp://" + Optional.ofNullable(server.getHost()).orElse("127.0.0.1")
        + ":1883";
    SimulationOptions options = new SimulationOptions(server, mqttUri, adminToken(), devices, rate, prefix, profile,
        sensors, ramp, Duration.ofSeconds(durationSeconds), bufferBytes, Optional.ofNullable(bufferDir));
    Simulation simulation = new Simulation(options, out);
    Thread hook = new Thread(() -> {
      try {
        simulation.stopAndWait(Simulation.DRAIN.plusSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "simulate-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      simulation.run();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down (Ctrl-C): the hook has stopped the simulation
      }
    }
    return 0;
  }

  private String adminToken() {
    if (token != null && !token.isBlank()) {
      return token.strip();
    }
    String fromEnv = System.getenv("FLOTILLA_ADMIN_TOKEN");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    Path file = dataDir.resolve("admin.token");
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new SimulationException("no admin token: pass --token, set FLOTILLA_ADMIN_TOKEN, or run from the folder "
          + "where ./flotilla server keeps " + file + " (--data-dir moves it); reading it failed: " + e.getMessage());
    }
  }
}
