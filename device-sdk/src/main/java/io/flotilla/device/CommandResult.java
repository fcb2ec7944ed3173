package io.flotilla.device;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/** A command's outcome as the device reports it: succeeded or failed, with an optional JSON result and text. */
public record CommandResult(boolean succeeded, Optional<JsonNode> result, Optional<String> message) {
  /** Checks that nothing is null. */
  public CommandResult {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(message, "message");
  }

  /** Succeeded, with no result. */
  public static CommandResult success() {
    return new CommandResult(true, Optional.empty(), Optional.empty());
  }

  /** Succeeded with a JSON result. */
  public static CommandResult success(JsonNode result) {
    return new CommandResult(true, Optional.of(result), Optional.empty());
  }

  /** Failed, saying why. */
  public static CommandResult failure(String message) {
    return new CommandResult(false, Optional.empty(), Optional.of(message));
  }

  /** Failed, saying why, with a JSON result (e.g. partial progress). */
  public static CommandResult failure(String message, JsonNode result) {
    return new CommandResult(false, Optional.of(result), Optional.of(message));
  }
}
