package io.flotilla.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Simulated sensors: signals stay in their bounds, step faults shift values for a while, dropouts leave gaps. */
class SensorTest {
  @Test
  void randomWalkStaysWithinItsBounds() {
    Sensor sensor = new Sensor("t", new Sensor.RandomWalk(20, 5, 0, 30), Sensor.Faults.NONE);
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 10_000; i++) {
      assertThat(sensor.read(i, random).orElseThrow()).isBetween(0.0, 30.0);
    }
  }

  @Test
  void sineFollowsItsPeriod() {
    Sensor sensor = new Sensor("s", new Sensor.Sine(10, 5, 60, 0, 0), Sensor.Faults.NONE);
    SplittableRandom random = new SplittableRandom(1);
    assertThat(sensor.read(0, random).orElseThrow()).isEqualTo(10.0);
    assertThat(sensor.read(15, random).orElseThrow()).isEqualTo(15.0);
    assertThat(sensor.read(45, random).orElseThrow()).isEqualTo(5.0);
  }

  @Test
  void stepFaultShiftsValuesForItsLength() {
    Sensor sensor = new Sensor("t", new Sensor.Sine(10, 0, 60, 0, 0), new Sensor.Faults(1, 25, 3, 0, 0));
    SplittableRandom random = new SplittableRandom(1);
    assertThat(sensor.read(0, random).orElseThrow()).isEqualTo(35.0);
    assertThat(sensor.inStepFault()).isTrue();
    assertThat(sensor.read(0, random).orElseThrow()).isEqualTo(35.0);
    assertThat(sensor.read(0, random).orElseThrow()).isEqualTo(35.0);
    assertThat(sensor.inStepFault()).as("three readings long, then over").isFalse();
  }

  @Test
  void dropoutsLeaveGapsOfTheirLength() {
    Sensor sensor = new Sensor("h", new Sensor.Sine(10, 0, 60, 0, 0), new Sensor.Faults(0, 0, 0, 0.01, 5));
    SplittableRandom random = new SplittableRandom(7);
    int gaps = 0;
    int longest = 0;
    int run = 0;
    for (int i = 0; i < 20_000; i++) {
      OptionalDouble v = sensor.read(i, random);
      if (v.isEmpty()) {
        gaps++;
        run++;
        longest = Math.max(longest, run);
      } else {
        assertThat(run % 5).as("a gap is one or more dropouts of 5 readings, was " + run).isZero();
        run = 0;
      }
    }
    assertThat(gaps).isBetween(200, 2000);
    assertThat(longest).isGreaterThanOrEqualTo(5);
  }
}
