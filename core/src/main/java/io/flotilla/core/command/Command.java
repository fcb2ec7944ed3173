package io.flotilla.core.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One command to one device, with every step of its life.
 *
 * @param timeoutSeconds direct: how long the caller waits for the answer once the command is sent; queued: 0
 * @param connectTimeoutSeconds direct: how long the device may take to come online (0: it must be online)
 * @param expiresAt direct: when the caller stops waiting; queued: created plus its time to live
 * @param attempts how often it was published to the device
 * @param groupId the group it was sent to, when it was part of a group command
 * @param createdBy the actor who sent it (as in the audit log)
 */
public record Command(TenantId tenant, String id, String deviceId, String name, JsonNode payload, CommandMode mode,
    CommandStatus status, int timeoutSeconds, int connectTimeoutSeconds, Instant createdAt, Instant expiresAt,
    Optional<Instant> sentAt, Optional<Instant> deliveredAt, Optional<Instant> completedAt, int attempts,
    Optional<JsonNode> result, Optional<String> message, Optional<String> groupId, String createdBy, Instant updatedAt,
    long version) {

  /** Command ids, as in the device contract: they are a topic level. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  /** Command names: what the device firmware dispatches on. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public Command {
    Objects.requireNonNull(tenant, "tenant");
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("invalid command id " + id);
    }
    Objects.requireNonNull(deviceId, "deviceId");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid command name " + name);
    }
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(deliveredAt, "deliveredAt");
    Objects.requireNonNull(completedAt, "completedAt");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (attempts < 0 || timeoutSeconds < 0 || connectTimeoutSeconds < 0) {
      throw new IllegalArgumentException("negative attempts or timeout");
    }
  }

  /** The MQTT topic the command is published on. */
  public String topic() {
    return "devices/" + deviceId + "/commands/" + id;
  }

  /** The MQTT topic the device answers on. */
  public String responseTopic() {
    return topic() + "/response";
  }

  /** The same command one step on ({@code sent}, {@code delivered}, or ended without an answer), stamped {@code at}. */
  public Command moved(CommandStatus next, Instant at, Optional<String> why) {
    boolean sending = next == CommandStatus.SENT;
    return new Command(tenant, id, deviceId, name, payload, mode, next, timeoutSeconds, connectTimeoutSeconds,
        createdAt, expiresAt, sending ? Optional.of(at) : sentAt,
        next == CommandStatus.DELIVERED ? Optional.of(at) : deliveredAt,
        next.isFinal() ? Optional.of(at) : completedAt, sending ? attempts + 1 : attempts, result, why, groupId,
        createdBy, at, version + 1);
  }

  /** The command ended by the device's answer; an answer also proves delivery. */
  public Command answered(CommandAnswer answer, Instant at) {
    return new Command(tenant, id, deviceId, name, payload, mode, answer.status(), timeoutSeconds,
        connectTimeoutSeconds, createdAt, expiresAt, sentAt, Optional.of(deliveredAt.orElse(at)), Optional.of(at),
        attempts, answer.result(), answer.message(), groupId, createdBy, at, version + 1);
  }
}
