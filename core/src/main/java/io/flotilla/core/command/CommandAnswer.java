package io.flotilla.core.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A device's answer to a command, read from {@code devices/{id}/commands/{commandId}/response}:
 * {@code {"status":"succeeded"|"failed","result":<any JSON>,"message":"<text>"}}.
 */
public record CommandAnswer(CommandStatus status, Optional<JsonNode> result, Optional<String> message) {
  /** The largest answer taken, in bytes. */
  public static final int MAX_BYTES = 64 * 1024;
  /** The longest message kept, in characters. */
  public static final int MAX_MESSAGE = 1024;
  private static final Set<String> FIELDS = Set.of("status", "result", "message");

  public CommandAnswer {
    if (status != CommandStatus.SUCCEEDED && status != CommandStatus.FAILED) {
      throw new IllegalArgumentException("an answer is succeeded or failed");
    }
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(message, "message");
  }

  /** Why an answer was refused: a kebab-case reason and a sentence, as the device sees them. */
  public static final class Invalid extends Exception {
    private final String error;

    public Invalid(String error, String message) {
      super(message, null, false, false);
      this.error = error;
    }

    public String error() {
      return error;
    }
  }

  /** Reads an answer's payload; throws {@link Invalid} saying what is wrong with it. */
  public static CommandAnswer parse(byte[] payload) throws Invalid {
    if (payload.length > MAX_BYTES) {
      throw new Invalid("too-large", "The answer has " + payload.length + " bytes; at most " + MAX_BYTES
          + " are taken");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(payload);
    } catch (IOException e) {
      throw new Invalid("invalid-json", "The answer is not valid JSON");
    }
    if (!(node instanceof ObjectNode object)) {
      throw new Invalid("invalid-json", "The answer must be a JSON object with status, result and message");
    }
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw new Invalid("invalid-answer", "'" + field + "' is not a field of an answer; use status, result and "
            + "message");
      }
    }
    JsonNode status = object.get("status");
    Optional<CommandStatus> parsed = status != null && status.isTextual()
        ? CommandStatus.fromWire(status.asText()) : Optional.empty();
    if (parsed.isEmpty() || !(parsed.get() == CommandStatus.SUCCEEDED || parsed.get() == CommandStatus.FAILED)) {
      throw new Invalid("invalid-answer", "status must be \"succeeded\" or \"failed\"");
    }
    JsonNode message = object.get("message");
    if (message != null && !message.isNull() && !message.isTextual()) {
      throw new Invalid("invalid-answer", "message must be a string");
    }
    Optional<String> text = message == null || message.isNull() ? Optional.empty()
        : Optional.of(message.asText().length() > MAX_MESSAGE ? message.asText().substring(0, MAX_MESSAGE)
            : message.asText());
    JsonNode result = object.get("result");
    return new CommandAnswer(parsed.get(), result == null || result.isNull() ? Optional.empty()
        : Optional.of(result), text);
  }
}
