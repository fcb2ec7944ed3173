package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
  /** Nearest rank: of 1..100, the 50th percentile is 50 and the 99th is 99, in whatever order they came. */
  @Test
  void percentilesAreNearestRankOverAllRecordedValues() {
    LatencyRecorder latencies = new LatencyRecorder();
    for (long value = 100; value >= 1; value--) {
      latencies.record(value);
    }
    assertThat(latencies.percentileNanos(50)).isEqualTo(50);
    assertThat(latencies.percentileNanos(99)).isEqualTo(99);
    assertThat(latencies.percentileNanos(100)).isEqualTo(100);
    assertThat(latencies.percentileNanos(0.1)).isEqualTo(1);
  }

  /** With few values the high percentiles are the largest value, never an index past the end. */
  @Test
  void smallSamplesGiveTheirLargestValueForHighPercentiles() {
    LatencyRecorder latencies = new LatencyRecorder();
    latencies.record(7);
    latencies.record(3);
    assertThat(latencies.percentileNanos(50)).isEqualTo(3);
    assertThat(latencies.percentileNanos(99)).isEqualTo(7);
  }

  /** Recorders of several threads add up to one, beyond the initial capacity, and stay correct after a sort. */
  @Test
  void addedRecordersCountEveryValue() {
    LatencyRecorder first = new LatencyRecorder();
    LatencyRecorder second = new LatencyRecorder();
    for (int i = 0; i < 3000; i++) {
      first.record(i);
      second.record(3000 + i);
    }
    first.percentileNanos(50);
    first.add(second);
    assertThat(first.count()).isEqualTo(6000);
    assertThat(first.percentileNanos(50)).isEqualTo(2999);
    assertThat(first.percentileNanos(100)).isEqualTo(5999);
  }

  @Test
  void anEmptyRecorderHasNoPercentiles() {
    assertThatThrownBy(() -> new LatencyRecorder().percentileNanos(50)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no latency");
  }
}
