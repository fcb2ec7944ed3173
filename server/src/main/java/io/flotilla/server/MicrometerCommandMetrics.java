package io.flotilla.server;

import io.flotilla.core.command.CommandMetrics;
import io.flotilla.core.command.CommandMode;
import io.flotilla.core.command.CommandStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Commands in Prometheus: {@code flotilla_commands_sent_total{mode}} (publications, retries included),
 * {@code flotilla_commands_completed_total{mode,status}} (succeeded, failed, timed-out, expired, cancelled) and
 * {@code flotilla_commands_round_trip_seconds{mode}} (from sending to the device's answer).
 */
final class MicrometerCommandMetrics implements CommandMetrics {
  private final MeterRegistry registry;

  MicrometerCommandMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void sent(CommandMode mode) {
    Counter.builder("flotilla.commands.sent").description("Commands published to devices, retries included")
        .tag("mode", mode.wireName()).register(registry).increment();
  }

  @Override
  public void finished(CommandMode mode, CommandStatus status, Duration roundTrip) {
    Counter.builder("flotilla.commands.completed").description("Commands that ended, by how")
        .tag("mode", mode.wireName()).tag("status", status.wireName()).register(registry).increment();
    if (status == CommandStatus.SUCCEEDED || status == CommandStatus.FAILED) {
      Timer.builder("flotilla.commands.round.trip").description("From sending a command to the device's answer")
          .tag("mode", mode.wireName()).register(registry).record(roundTrip);
    }
  }
}
