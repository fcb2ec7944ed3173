package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PacedScheduleTest {
  private static final long SECOND = 1_000_000_000L;

  /** 100 devices sharing 12,500 messages/s each publish every 8 ms, their starts spread over those 8 ms. */
  @Test
  void splitsTheRateEvenlyAndStaggersTheStarts() {
    PacedSchedule first = PacedSchedule.of(0, 100, 12_500, 1_000);
    PacedSchedule last = PacedSchedule.of(99, 100, 12_500, 1_000);

    assertThat(first.intervalNanos()).isEqualTo(8_000_000);
    assertThat(first.perSecond()).isEqualTo(125.0);
    assertThat(first.startNanos()).isEqualTo(1_000);
    assertThat(last.startNanos()).isEqualTo(1_000 + 99 * 80_000);
  }

  /** Nothing is due before the start; then the first message at once and one more each interval. */
  @Test
  void countsTheMessagesDueByAnyMoment() {
    PacedSchedule schedule = new PacedSchedule(500, 100);
    assertThat(schedule.dueBy(499)).isZero();
    assertThat(schedule.dueBy(500)).isEqualTo(1);
    assertThat(schedule.dueBy(599)).isEqualTo(1);
    assertThat(schedule.dueBy(600)).isEqualTo(2);
    assertThat(schedule.dueBy(500 + 100 * 1_000)).isEqualTo(1_001);
  }

  /** Together the devices publish the total rate: over 10 s, 10 s worth of messages, give or take one each. */
  @Test
  void devicesTogetherKeepTheTotalRate() {
    int devices = 37;
    double total = 54_321.5;
    long start = 123_456_789;
    long due = 0;
    for (int i = 0; i < devices; i++) {
      due += PacedSchedule.of(i, devices, total, start).dueBy(start + 10 * SECOND);
    }
    assertThat((double) due).isCloseTo(total * 10, within((double) devices));
  }

  /** The schedule is checked every interval, but not more often than every millisecond nor less than every 100 ms. */
  @Test
  void checksEveryIntervalWithinBounds() {
    assertThat(new PacedSchedule(0, 8_000_000).tickNanos()).isEqualTo(8_000_000);
    assertThat(new PacedSchedule(0, 10_000).tickNanos()).isEqualTo(PacedSchedule.MIN_TICK_NANOS);
    assertThat(new PacedSchedule(0, 5 * SECOND).tickNanos()).isEqualTo(PacedSchedule.MAX_TICK_NANOS);
  }

  @Test
  void refusesAnImpossibleRateOrDevice() {
    assertThatThrownBy(() -> PacedSchedule.of(0, 10, 0, 0)).hasMessageContaining("rate must be positive");
    assertThatThrownBy(() -> PacedSchedule.of(10, 10, 100, 0)).hasMessageContaining("0..9");
  }
}
