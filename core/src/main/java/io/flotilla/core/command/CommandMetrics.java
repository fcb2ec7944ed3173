package io.flotilla.core.command;

import java.time.Duration;

/** What the command service counts; the server backs it with Micrometer. */
public interface CommandMetrics {
  /** A command was published to its device (first time or again). */
  void sent(CommandMode mode);

  /**
   * A command ended with {@code status}; {@code roundTrip} from its (last) send to its end, from its creation when it
   * was never sent.
   */
  void finished(CommandMode mode, CommandStatus status, Duration roundTrip);

  CommandMetrics NONE = new CommandMetrics() {
    @Override
    public void sent(CommandMode mode) {
    }

    @Override
    public void finished(CommandMode mode, CommandStatus status, Duration roundTrip) {
    }
  };
}
