package io.flotilla.core.command;

import java.time.Duration;

/**
 * How hard the dispatcher tries: it looks for work every {@code tick}, publishes an unacknowledged command again
 * after {@code retryAfter}, and fails it after {@code maxAttempts} publications without an acknowledgement.
 */
public record CommandSettings(Duration tick, Duration retryAfter, int maxAttempts) {
  public static final CommandSettings DEFAULTS = new CommandSettings(Duration.ofSeconds(1), Duration.ofSeconds(15), 5);

  public CommandSettings {
    if (tick.isNegative() || tick.isZero() || retryAfter.isNegative() || retryAfter.isZero() || maxAttempts < 1) {
      throw new IllegalArgumentException("tick and retryAfter must be positive, maxAttempts at least 1");
    }
  }
}
