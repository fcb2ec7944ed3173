package io.flotilla.tools.simulate;

import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/** The set of sensors each simulated device carries; {@code --sensors} picks one. */
enum SensorProfile {
  /** temperature (random walk, step faults), humidity (sine, dropouts), vibration (random walk). */
  ENVIRONMENT {
    @Override
    List<Sensor> sensors(RandomGenerator random) {
      return List.of(
          new Sensor("temperature", new Sensor.RandomWalk(18 + random.nextDouble() * 6, 0.3, -20, 60),
              new Sensor.Faults(0.002, 25, 20, 0, 0)),
          new Sensor("humidity", new Sensor.Sine(50, 15, 600, random.nextDouble() * Math.PI * 2, 1),
              new Sensor.Faults(0, 0, 0, 0.003, 10)),
          new Sensor("vibration", new Sensor.RandomWalk(0.2, 0.05, 0, 5), Sensor.Faults.NONE));
    }
  },
  /** One smooth sine per device: small payloads for load tests. */
  SINE {
    @Override
    List<Sensor> sensors(RandomGenerator random) {
      return List.of(new Sensor("value", new Sensor.Sine(0, 1, 60, random.nextDouble() * Math.PI * 2, 0),
          Sensor.Faults.NONE));
    }
  };

  abstract List<Sensor> sensors(RandomGenerator random);

  /** The JSON Schema the simulator's device profile gets: numbers where its sensors put them. */
  static String telemetrySchema() {
    return "{\"type\":\"object\",\"properties\":{\"temperature\":{\"type\":\"number\"},\"humidity\":"
        + "{\"type\":\"number\"},\"vibration\":{\"type\":\"number\"},\"value\":{\"type\":\"number\"},"
        + "\"seq\":{\"type\":\"integer\"}}}";
  }

  /** For picocli: case-insensitive names. */
  static SensorProfile parse(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
