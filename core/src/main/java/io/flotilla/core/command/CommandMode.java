package io.flotilla.core.command;

import java.util.Locale;
import java.util.Optional;

/** How the caller waits for a command. */
public enum CommandMode {
  /** The caller waits for the device's answer, up to the command's timeout; refused at once when the device is offline. */
  DIRECT,
  /** Stored and delivered when the device is online, retried until acknowledged, expired after its time to live. */
  QUEUED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<CommandMode> fromWire(String value) {
    for (CommandMode mode : values()) {
      if (mode.wireName().equals(value)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
