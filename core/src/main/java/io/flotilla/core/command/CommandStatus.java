package io.flotilla.core.command;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a command is in its life: {@code queued} → {@code sent} (published to the device's session) →
 * {@code delivered} (the device acknowledged the PUBLISH) → {@code succeeded} or {@code failed} (its answer);
 * or it ends {@code timed-out} (no answer in time), {@code expired} (never delivered within its time to live) or
 * {@code cancelled}.
 */
public enum CommandStatus {
  QUEUED,
  SENT,
  DELIVERED,
  SUCCEEDED,
  FAILED,
  TIMED_OUT,
  EXPIRED,
  CANCELLED;

  /** The JSON and database name: lower case with '-' ({@code timed-out}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** True once nothing more happens to the command. */
  public boolean isFinal() {
    return ordinal() >= SUCCEEDED.ordinal();
  }

  public static Optional<CommandStatus> fromWire(String value) {
    for (CommandStatus status : values()) {
      if (status.wireName().equals(value)) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }
}
