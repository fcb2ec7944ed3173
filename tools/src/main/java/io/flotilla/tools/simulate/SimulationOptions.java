package io.flotilla.tools.simulate;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What to simulate: where the server is, how many devices with which sensors, how fast, for how long.
 * {@code duration} zero means until stopped; {@code bufferDir} empty keeps each device's buffer in memory.
 */
public record SimulationOptions(URI server, String mqttUri, String adminToken, int devices, double rate,
    String idPrefix, String profile, String sensors, int connectsPerSecond, Duration duration, long bufferBytes,
    Optional<Path> bufferDir) {
  public SimulationOptions {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(adminToken, "adminToken");
    Objects.requireNonNull(bufferDir, "bufferDir");
    if (!mqttUri.matches("(tcp|ssl)://[^/]+:\\d+")) {
      throw new SimulationException("--mqtt must be tcp://host:port or ssl://host:port, was '" + mqttUri + "'");
    }
    if (devices < 1 || devices > 1_000_000) {
      throw new SimulationException("--devices must be 1 to 1,000,000, was " + devices);
    }
    if (!(rate > 0) || rate > 1000) {
      throw new SimulationException("--rate must be more than 0 and at most 1000 messages/s per device, was " + rate);
    }
    if (!idPrefix.matches("[A-Za-z0-9._:-]{1,64}")) {
      throw new SimulationException("--prefix must be 1 to 64 of letters, digits, '.', '_', ':' and '-', was '"
          + idPrefix + "'");
    }
    if (connectsPerSecond < 1) {
      throw new SimulationException("--ramp must be at least 1 connection per second, was " + connectsPerSecond);
    }
    if (duration.isNegative()) {
      throw new SimulationException("--duration must not be negative");
    }
    if (bufferBytes < 1024) {
      throw new SimulationException("--buffer-bytes must be at least 1024, was " + bufferBytes);
    }
    try {
      SensorProfile.parse(sensors);
    } catch (IllegalArgumentException e) {
      throw new SimulationException("--sensors must be environment or sine, was '" + sensors + "'");
    }
  }

  @Override
  public String toString() {
    return "SimulationOptions[server=" + server + ", mqtt=" + mqttUri + ", devices=" + devices + ", rate=" + rate
        + ", prefix=" + idPrefix + ", adminToken=(hidden)]";
  }
}
