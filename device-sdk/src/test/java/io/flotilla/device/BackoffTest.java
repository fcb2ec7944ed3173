package io.flotilla.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reconnection delays grow exponentially to the maximum, are jittered, and start over after a reset. */
class BackoffTest {
  @Test
  void delaysDoubleUpToTheMaximumWithJitter() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    long[] ceilings = {100, 200, 400, 800, 1600, 2000, 2000};
    for (long ceiling : ceilings) {
      assertThat(backoff.next().toMillis()).isBetween(ceiling / 2, ceiling);
    }
    backoff.reset();
    assertThat(backoff.next().toMillis()).isBetween(50L, 100L);
  }

  @Test
  void delaysAreSpreadSoAFleetDoesNotReconnectAtOnce() {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
      backoff.next();
      seen.add(backoff.next().toMillis());
    }
    assertThat(seen.size()).isGreaterThan(25);
  }

  @Test
  void nonsenseBoundsAreRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial <= max");
  }
}
