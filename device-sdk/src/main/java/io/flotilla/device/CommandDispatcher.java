package io.flotilla.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

/**
 * The device's side of the command contract: a PUBLISH on {@code devices/{id}/commands/{commandId}}
 * runs the handler registered for its name on a virtual thread, and the outcome goes back with QoS 1
 * to {@code …/{commandId}/response} (the Response Topic the contract fixes; a device may publish only
 * under its own namespace anyway), echoing the request's Correlation Data when it has one.
 * A command delivered again (QoS 1 may) is not run twice: its stored answer is sent again.
 * An answer stays pending until the platform's PUBACK takes it (or refuses it for good: 0x83, 0x99) and
 * is sent again after every reconnect: the platform does not send a command it saw delivered again, so
 * an answer lost with the connection would otherwise leave the command waiting until it times out.
 */
final class CommandDispatcher {
  static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final int REMEMBERED = 1024;

  /**
   * Sends an answer: topic, payload, correlation data (empty when the request had none); {@code acknowledged}
   * hears the PUBACK's reason code. Sending may fail quietly (not connected): the answer is sent again.
   */
  interface Responder {
    void respond(String topic, byte[] payload, Optional<byte[]> correlationData, IntConsumer acknowledged);
  }

  /** PUBACK reasons after which sending the same answer again cannot help. */
  static final int IMPLEMENTATION_SPECIFIC = 0x83;
  static final int PAYLOAD_FORMAT_INVALID = 0x99;

  private record Answer(String topic, byte[] payload, Optional<byte[]> correlation) {}

  private final DeviceTopics topics;
  private final Responder responder;
  private final Executor handlers;
  private final DeviceListener listener;
  private final Clock clock;
  private final Map<String, CommandHandler> byName = new ConcurrentHashMap<>();
  /** Recent command ids → their answer, or null while the handler runs. */
  private final Map<String, Optional<byte[]>> recent = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Optional<byte[]>> eldest) {
      return size() > REMEMBERED;
    }
  };
  /** Answers the platform has not acknowledged yet, by command id, oldest first. */
  private final Map<String, Answer> unacknowledged = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
      return size() > REMEMBERED;
    }
  };

  CommandDispatcher(DeviceTopics topics, Responder responder, Executor handlers, DeviceListener listener,
      Clock clock) {
    this.topics = topics;
    this.responder = responder;
    this.handlers = handlers;
    this.listener = listener;
    this.clock = clock;
  }

  void register(String name, CommandHandler handler) {
    if (name.isBlank()) {
      throw new IllegalArgumentException("a command name must not be blank");
    }
    byName.put(name, handler);
  }

  /** Handles a message on a command topic; false when the topic is not a command request. */
  boolean handle(String topic, byte[] payload, Optional<byte[]> correlation) {
    String prefix = topics.base + "/commands/";
    if (!topic.startsWith(prefix)) {
      return false;
    }
    String tail = topic.substring(prefix.length());
    if (tail.endsWith("/response/rejected")) {
      String reason = DeviceJson.readObject(payload).map(b -> b.path("error").asText() + ": "
          + b.path("message").asText()).orElse(DeviceJson.utf8(payload));
      listener.refused("the answer to command " + tail.substring(0, tail.indexOf('/')), reason);
      return true;
    }
    if (!COMMAND_ID.matcher(tail).matches()) {
      return false;
    }
    String replyTo = topics.commandResponse(tail);
    synchronized (recent) {
      if (recent.containsKey(tail)) {
        Optional<byte[]> answered = recent.get(tail);
        if (answered.isPresent()) {
          send(tail, new Answer(replyTo, answered.get(), correlation));
        }
        return true;
      }
      recent.put(tail, Optional.empty());
    }
    handlers.execute(() -> run(tail, payload, replyTo, correlation));
    return true;
  }

  private void run(String id, byte[] payload, String replyTo, Optional<byte[]> echo) {
    Optional<ObjectNode> body = DeviceJson.readObject(payload);
    CommandResult result;
    Command command = null;
    if (body.isEmpty()) {
      result = CommandResult.failure("the command request is not a JSON object");
    } else {
      command = new Command(id, body.get().path("name").asText(""),
          body.get().has("payload") ? body.get().get("payload") : NullNode.getInstance(), expiry(body.get()));
      result = run(command);
    }
    byte[] answer = answer(result);
    synchronized (recent) {
      recent.put(id, Optional.of(answer));
    }
    send(id, new Answer(replyTo, answer, echo));
    if (command != null) {
      listener.commandAnswered(command, result);
    }
  }

  /** Sends again every answer the platform has not acknowledged; called after each (re)connect. */
  void connected() {
    List<Map.Entry<String, Answer>> pending;
    synchronized (unacknowledged) {
      pending = unacknowledged.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    }
    pending.forEach(e -> publish(e.getKey(), e.getValue()));
  }

  private void send(String id, Answer answer) {
    synchronized (unacknowledged) {
      unacknowledged.put(id, answer);
    }
    publish(id, answer);
  }

  private void publish(String id, Answer answer) {
    responder.respond(answer.topic(), answer.payload(), answer.correlation(), code -> {
      if (code < 0x80 || code == IMPLEMENTATION_SPECIFIC || code == PAYLOAD_FORMAT_INVALID) {
        synchronized (unacknowledged) {
          unacknowledged.remove(id, answer);
        }
      }
    });
  }

  private CommandResult run(Command command) {
    if (command.expiresAt().isPresent() && command.expiresAt().get().isBefore(clock.instant())) {
      return CommandResult.failure("the command expired at " + command.expiresAt().get() + " before it could run");
    }
    CommandHandler handler = byName.get(command.name());
    if (handler == null) {
      return CommandResult.failure("this device has no handler for the command '" + command.name() + "'");
    }
    try {
      CommandResult result = handler.handle(command);
      return result == null ? CommandResult.success() : result;
    } catch (Exception e) {
      return CommandResult.failure(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private static Optional<Instant> expiry(ObjectNode body) {
    JsonNode at = body.get("expiresAt");
    if (at == null || !at.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(at.asText()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static byte[] answer(CommandResult result) {
    ObjectNode answer = DeviceJson.object().put("status", result.succeeded() ? "succeeded" : "failed");
    result.result().ifPresent(r -> answer.set("result", r));
    result.message().ifPresent(m -> answer.put("message", m));
    return DeviceJson.bytes(answer);
  }
}
