package io.flotilla.tools.simulate;

import java.util.OptionalDouble;
import java.util.random.RandomGenerator;

/**
 * One simulated measurement: a signal (random walk or sine) with faults on top — a step fault adds an
 * offset for a while, a dropout makes the sensor silent for a while (the reading leaves the key out).
 */
final class Sensor {
  /** The shape of the clean signal. */
  sealed interface Signal permits RandomWalk, Sine {
    double next(double seconds, RandomGenerator random);
  }

  /** A value that moves by a random step each reading, pulled back into [min, max]. */
  static final class RandomWalk implements Signal {
    private final double min;
    private final double max;
    private final double step;
    private double value;

    RandomWalk(double start, double step, double min, double max) {
      this.value = start;
      this.step = step;
      this.min = min;
      this.max = max;
    }

    @Override
    public double next(double seconds, RandomGenerator random) {
      value = Math.clamp(value + (random.nextDouble() * 2 - 1) * step, min, max);
      return value;
    }
  }

  /** {@code mean + amplitude · sin(2π t / period)} with a little noise. */
  record Sine(double mean, double amplitude, double periodSeconds, double phase, double noise) implements Signal {
    @Override
    public double next(double seconds, RandomGenerator random) {
      return mean + amplitude * Math.sin(2 * Math.PI * seconds / periodSeconds + phase)
          + (random.nextDouble() * 2 - 1) * noise;
    }
  }

  /** How often faults start (per reading) and how long they last (in readings). */
  record Faults(double stepChance, double stepOffset, int stepReadings, double dropoutChance, int dropoutReadings) {
    static final Faults NONE = new Faults(0, 0, 0, 0, 0);
  }

  private final String key;
  private final Signal signal;
  private final Faults faults;
  private int stepLeft;
  private int dropoutLeft;

  Sensor(String key, Signal signal, Faults faults) {
    this.key = key;
    this.signal = signal;
    this.faults = faults;
  }

  String key() {
    return key;
  }

  boolean inStepFault() {
    return stepLeft > 0;
  }

  /** The next reading at {@code seconds} since the start, or empty while the sensor drops out. */
  OptionalDouble read(double seconds, RandomGenerator random) {
    double clean = signal.next(seconds, random);
    if (dropoutLeft > 0) {
      dropoutLeft--;
      return OptionalDouble.empty();
    }
    if (random.nextDouble() < faults.dropoutChance()) {
      dropoutLeft = faults.dropoutReadings() - 1;
      return OptionalDouble.empty();
    }
    if (stepLeft == 0 && random.nextDouble() < faults.stepChance()) {
      stepLeft = faults.stepReadings();
    }
    if (stepLeft > 0) {
      stepLeft--;
      return OptionalDouble.of(round(clean + faults.stepOffset()));
    }
    return OptionalDouble.of(round(clean));
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
