package io.flotilla.gateway.command;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.DevicePublisher;
import io.flotilla.core.command.AnswerRefusal;
import io.flotilla.core.command.Command;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.CommandDispatcher;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.gateway.mqtt.PublishInterceptor;
import io.flotilla.gateway.mqtt.PublishVerdict;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a device's answers on {@code devices/{its id}/commands/{commandId}/response} to the command dispatcher.
 * Acknowledged once the answer is stored, then routed on to subscribers of the topic. A refused answer (wrong
 * correlation data, unknown or finished command, invalid payload) changes nothing: MQTT 5 gets a PUBACK reason code
 * (0x99 for the payload, 0x83 otherwise) with the reason string, and every device gets
 * {@code {"code","error","message"}} on {@code …/response/rejected}.
 */
public final class CommandAnswerInterceptor implements PublishInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(CommandAnswerInterceptor.class);
  static final int PAYLOAD_FORMAT_INVALID = 0x99;
  static final int IMPLEMENTATION_SPECIFIC = 0x83;
  static final int UNSPECIFIED_ERROR = 0x80;
  private static final String COMMANDS = "/commands/";
  private static final String RESPONSE = "/response";

  private final CommandDispatcher dispatcher;
  private final DevicePublisher publisher;
  private final Clock clock;

  public CommandAnswerInterceptor(CommandDispatcher dispatcher, DevicePublisher publisher, Clock clock) {
    this.dispatcher = dispatcher;
    this.publisher = publisher;
    this.clock = clock;
  }

  @Override
  public Optional<CompletionStage<PublishVerdict>> intercept(ClientIdentity who, BrokerMessage message,
      ProtocolVersion version) {
    if (who.kind() != ClientIdentity.Kind.DEVICE) {
      return Optional.empty();
    }
    String device = who.deviceId().orElseThrow();
    Optional<String> commandId = commandId(message.topic(), device);
    if (commandId.isEmpty()) {
      return Optional.empty();
    }
    TenantId tenant = new TenantId(who.tenant());
    String id = commandId.get();
    if (!Command.ID.matcher(id).matches()) {
      return Optional.of(CompletableFuture.completedFuture(refuse(tenant, device, message.topic(),
          new AnswerRefusal(404, "unknown-command", "'" + id + "' is not a command id"))));
    }
    return Optional.of(dispatcher.answer(tenant, device, id, message.correlationData(), message.payload())
        .handle((refusal, error) -> {
          if (error != null) {
            LOG.warn("The answer of device {} to command {} was not stored: {}", device, id, error.toString());
            return new PublishVerdict.Failed(UNSPECIFIED_ERROR, "The answer was not stored; send it again");
          }
          return refusal.map(r -> refuse(tenant, device, message.topic(), r)).orElse(PublishVerdict.ROUTE);
        }));
  }

  private PublishVerdict refuse(TenantId tenant, String device, String topic, AnswerRefusal refusal) {
    byte[] body = Json.write(Json.object().put("code", refusal.code()).put("error", refusal.error())
        .put("message", refusal.message())).getBytes(StandardCharsets.UTF_8);
    publisher.publish(tenant, new BrokerMessage(topic + "/rejected", body, 1, false, Optional.empty(),
        Optional.of("application/json"), Optional.empty(), Optional.empty(), true, List.of(), clock.instant()));
    LOG.debug("Refused the answer of device {} on {}: {}", device, topic, refusal.error());
    boolean payload = refusal.code() == 400 || refusal.code() == 413;
    return new PublishVerdict.Refused(payload ? PAYLOAD_FORMAT_INVALID : IMPLEMENTATION_SPECIFIC, refusal.message());
  }

  /** The command id of {@code devices/{deviceId}/commands/{commandId}/response}, or empty for other topics. */
  static Optional<String> commandId(String topic, String deviceId) {
    int start = 8 + deviceId.length() + COMMANDS.length();
    if (topic.length() <= start + RESPONSE.length() || !topic.startsWith("devices/")
        || !topic.startsWith(deviceId, 8) || !topic.startsWith(COMMANDS, 8 + deviceId.length())
        || !topic.endsWith(RESPONSE)) {
      return Optional.empty();
    }
    return Optional.of(topic.substring(start, topic.length() - RESPONSE.length()));
  }

  @Override
  public boolean saturated() {
    return false;
  }

  @Override
  public void whenUnsaturated(Runnable resume) {
    resume.run();
  }
}
