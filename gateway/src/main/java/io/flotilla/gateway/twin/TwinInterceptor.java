package io.flotilla.gateway.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.DevicePublisher;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.error.DomainException;
import io.flotilla.core.error.LimitExceededException;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.error.StaleVersionException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.TwinService;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.core.twin.TwinJson;
import io.flotilla.core.twin.TwinTopics;
import io.flotilla.gateway.mqtt.PublishInterceptor;
import io.flotilla.gateway.mqtt.PublishVerdict;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.ProtocolVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's twin requests on {@code devices/{its id}/twin/get|report} (and {@code twins/{name}/…}): applied off
 * the event loop, one after another per device; answered on {@code …/accepted} or {@code …/rejected} (with the
 * client's {@code clientToken} echoed) before the PUBACK. A refused request gets MQTT 5 PUBACK 0x99 with the
 * reason. Requests are not routed on to subscribers; a device may publish nothing else under its twins.
 */
public final class TwinInterceptor implements PublishInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(TwinInterceptor.class);
  static final int PAYLOAD_FORMAT_INVALID = 0x99;
  static final int NOT_AUTHORIZED = 0x87;
  static final int UNSPECIFIED_ERROR = 0x80;
  static final int SERVER_UNAVAILABLE = 0x88;
  /** Longest client token echoed; a longer one is refused, so answers stay small. */
  static final int MAX_CLIENT_TOKEN = 64;

  private final TwinService twins;
  private final DevicePublisher publisher;
  private final PerKeyQueue queue;

  public TwinInterceptor(TwinService twins, DevicePublisher publisher, Executor executor) {
    this.twins = twins;
    this.publisher = publisher;
    this.queue = new PerKeyQueue(executor);
  }

  @Override
  public Optional<CompletionStage<PublishVerdict>> intercept(ClientIdentity who, BrokerMessage message,
      ProtocolVersion version) {
    if (who.kind() != ClientIdentity.Kind.DEVICE) {
      return Optional.empty();
    }
    String device = who.deviceId().orElseThrow();
    Optional<TwinTopics.Request> request = TwinTopics.parse(message.topic(), device);
    if (request.isEmpty()) {
      return Optional.empty();
    }
    String operation = request.get().operation();
    if (!operation.equals("get") && !operation.equals("report")) {
      return Optional.of(CompletableFuture.completedFuture(new PublishVerdict.Refused(
          NOT_AUTHORIZED, "devices publish only …/get and …/report under a twin; the rest is the platform's")));
    }
    TenantId tenant = new TenantId(who.tenant());
    try {
      return Optional.of(queue.submit(who.tenant() + "/" + device,
          () -> handle(tenant, device, request.get().name(), operation, message.payload())));
    } catch (RejectedExecutionException e) {
      return Optional.of(CompletableFuture.completedFuture(new PublishVerdict.Failed(SERVER_UNAVAILABLE,
          "Server shutting down; send again")));
    }
  }

  private PublishVerdict handle(TenantId tenant, String device, String name, String operation, byte[] payload) {
    String base = TwinTopics.base(device, name); // an invalid name is never "default": its own topic still
    ObjectNode body;
    try {
      body = parse(payload);
    } catch (IllegalArgumentException e) {
      return reject(tenant, base, operation, Optional.empty(), 400, "invalid-json", e.getMessage());
    }
    Optional<String> token = Optional.empty();
    JsonNode tokenNode = body.path("clientToken");
    if (!tokenNode.isMissingNode() && !tokenNode.isNull()) {
      if (!tokenNode.isTextual() || tokenNode.textValue().length() > MAX_CLIENT_TOKEN) {
        return reject(tenant, base, operation, Optional.empty(), 422, "invalid-client-token",
            "clientToken must be a string of at most " + MAX_CLIENT_TOKEN + " characters");
      }
      token = Optional.of(tokenNode.textValue());
    }
    try {
      ObjectNode answer;
      if (operation.equals("get")) {
        answer = TwinJson.document(twins.deviceRead(tenant, device, name));
      } else {
        answer = Json.object().put("version", twins.report(tenant, device, name, body).version());
      }
      token.ifPresent(t -> answer.put("clientToken", t));
      publish(tenant, base + "/" + operation + "/accepted", answer);
      return new PublishVerdict.Accepted(false);
    } catch (DomainException e) {
      return switch (e) {
        case LimitExceededException l -> reject(tenant, base, operation, token, 413, l.type(), l.getMessage());
        case StaleVersionException s -> reject(tenant, base, operation, token, 409, "stale-version", s.getMessage());
        case ConflictException c -> reject(tenant, base, operation, token, 409, "conflict", c.getMessage());
        case NotFoundException n -> reject(tenant, base, operation, token, 404, "not-found", n.getMessage());
        case ValidationException v -> reject(tenant, base, operation, token, 422,
            v.errors().get(0).field().equals("name") ? "invalid-name" : "invalid-" + operation, v.getMessage());
        default -> reject(tenant, base, operation, token, 422, e.type(), e.getMessage());
      };
    } catch (RuntimeException e) {
      LOG.warn("The twin {} of device {} in tenant {} could not be handled: {}", name, device, tenant, e.toString());
      return new PublishVerdict.Failed(UNSPECIFIED_ERROR, "Twin store unavailable; send again");
    }
  }

  /** A JSON object, or an empty payload read as {@code {}}. */
  private static ObjectNode parse(byte[] payload) {
    if (payload.length == 0) {
      return Json.object();
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(payload);
    } catch (IOException e) {
      throw new IllegalArgumentException("the payload is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("the payload must be a JSON object");
    }
    return (ObjectNode) node;
  }

  private static String firstLine(String message) {
    int end = message == null ? -1 : message.indexOf('\n');
    return message == null ? "unreadable" : end < 0 ? message : message.substring(0, end);
  }

  private PublishVerdict reject(TenantId tenant, String base, String operation, Optional<String> token, int code,
      String error, String message) {
    ObjectNode answer = Json.object().put("code", code).put("error", error).put("message", message);
    token.ifPresent(t -> answer.put("clientToken", t));
    publish(tenant, base + "/" + operation + "/rejected", answer);
    return new PublishVerdict.Refused(PAYLOAD_FORMAT_INVALID, message);
  }

  private void publish(TenantId tenant, String topic, ObjectNode body) {
    byte[] payload = Json.write(body).getBytes(StandardCharsets.UTF_8);
    publisher.publish(tenant, new BrokerMessage(topic, payload, 1, false, Optional.empty(),
        Optional.of("application/json"), Optional.empty(), Optional.empty(), true, List.of(),
        Instant.now()));
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
