package io.flotilla.gateway.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.DevicePublisher;
import io.flotilla.core.json.Json;
import io.flotilla.core.provisioning.ProvisioningClaim;
import io.flotilla.core.provisioning.ProvisioningOutcome;
import io.flotilla.core.provisioning.ProvisioningOutcome.Code;
import io.flotilla.core.service.ProvisioningService;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.gateway.mqtt.PublishInterceptor;
import io.flotilla.gateway.mqtt.PublishVerdict;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.NamespaceAuthorizer;
import io.flotilla.gateway.mqtt.auth.ProtocolVersion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes provisioning clients' requests on {@code $provisioning/register}: the PUBLISH is acknowledged at once and
 * never routed; the request is handled on a virtual thread ({@link ProvisioningService#register} signs and writes)
 * and the answer published, QoS 1, to the MQTT 5 response topic when the request named one under the client's own
 * {@code $provisioning/responses/{client id}/}, else to {@code …/accepted} or {@code …/rejected} there, with the
 * request's correlation data. Only that client may subscribe there, so concurrent claimers never see each other's
 * answers (which carry device tokens).
 */
public final class ProvisioningInterceptor implements PublishInterceptor, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProvisioningInterceptor.class);
  static final int MAX_IN_FLIGHT = 64;
  private static final int QUOTA_EXCEEDED = 0x97;
  private static final CompletionStage<PublishVerdict> TAKEN =
      CompletableFuture.completedFuture(new PublishVerdict.Accepted(false));

  private final ProvisioningService service;
  private final DevicePublisher publisher;
  private final MeterRegistry meters;
  private final Clock clock;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  /** Requests handled at once on this node; more are refused at PUBACK (MQTT 5: 0x97) and may be sent again. */
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

  public ProvisioningInterceptor(ProvisioningService service, DevicePublisher publisher, MeterRegistry meters,
      Clock clock) {
    this.service = service;
    this.publisher = publisher;
    this.meters = meters;
    this.clock = clock;
  }

  @Override
  public Optional<CompletionStage<PublishVerdict>> intercept(ClientIdentity who, BrokerMessage message,
      ProtocolVersion version) {
    if (who.kind() != ClientIdentity.Kind.PROVISIONING
        || !message.topic().equals(NamespaceAuthorizer.PROVISIONING_REGISTER)) {
      return Optional.empty();
    }
    ProvisioningClaim claim = who.claim().orElseThrow();
    String clientId = who.principal();
    if (!inFlight.tryAcquire()) {
      return Optional.of(CompletableFuture.completedFuture(new PublishVerdict.Refused(QUOTA_EXCEEDED,
          "Too many provisioning requests in progress; send again shortly")));
    }
    try {
      workers.execute(() -> {
        try {
          handle(claim, clientId, message);
        } finally {
          inFlight.release();
        }
      });
    } catch (RejectedExecutionException e) {
      inFlight.release();
      return Optional.of(CompletableFuture.completedFuture(new PublishVerdict.Failed(0x88, "Server shutting down")));
    }
    return Optional.of(TAKEN);
  }

  private void handle(ProvisioningClaim claim, String clientId, BrokerMessage request) {
    String prefix = NamespaceAuthorizer.responsePrefix(clientId);
    ProvisioningOutcome outcome;
    Optional<String> responseTopic = request.responseTopic();
    Optional<ObjectNode> body = parse(request.payload());
    if (responseTopic.isPresent() && !validResponseTopic(responseTopic.get(), prefix)) {
      outcome = new ProvisioningOutcome.Refused(requestId(body), Code.BAD_REQUEST, "the response topic must be "
          + "a topic under " + prefix + ", the only place this client may subscribe", Optional.empty());
      responseTopic = Optional.empty();
    } else if (body.isEmpty()) {
      outcome = new ProvisioningOutcome.Refused("", Code.BAD_REQUEST, "the request is not a JSON object like "
          + "{\"requestId\":\"r1\",\"deviceId\":\"…\",\"csrPem\":\"…\"}", Optional.empty());
    } else {
      try {
        outcome = service.register(claim, body.get());
      } catch (RuntimeException e) {
        LOG.error("Provisioning request of client {} for enrollment group {} of tenant {} failed", clientId,
            claim.groupId(), claim.tenant(), e);
        outcome = new ProvisioningOutcome.Refused(requestId(body), Code.UNAVAILABLE, "the server could not "
            + "handle the request; try again later", Optional.empty());
      }
    }
    boolean provisioned = outcome instanceof ProvisioningOutcome.Provisioned;
    String topic = responseTopic.orElse(prefix + (provisioned ? "accepted" : "rejected"));
    byte[] payload = outcome.json().toString().getBytes(StandardCharsets.UTF_8);
    publisher.publish(claim.tenant(), new BrokerMessage(topic, payload, 1, false, Optional.empty(),
        Optional.of("application/json"), Optional.empty(), request.correlationData(), true, List.of(),
        clock.instant()));
    String result = outcome instanceof ProvisioningOutcome.Refused refused ? refused.code().wire() : "provisioned";
    Counter.builder("flotilla.provisioning.requests").description("Provisioning requests by claim, by result")
        .tag("transport", "mqtt").tag("result", result).register(meters).increment();
    if (!provisioned) {
      LOG.info("Refused the provisioning request of client {} for enrollment group {} of tenant {}: {}", clientId,
          claim.groupId(), claim.tenant(), result);
    }
  }

  private static boolean validResponseTopic(String topic, String prefix) {
    return topic.startsWith(prefix) && topic.length() > prefix.length() && topic.indexOf('+') < 0
        && topic.indexOf('#') < 0;
  }

  private static Optional<ObjectNode> parse(byte[] payload) {
    try {
      JsonNode node = Json.MAPPER.readTree(payload);
      return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String requestId(Optional<ObjectNode> body) {
    return body.map(b -> b.path("requestId")).filter(JsonNode::isTextual).map(JsonNode::asText)
        .filter(id -> id.length() <= 128).orElse("");
  }

  /** Stops taking requests; those being handled finish first. */
  @Override
  public void close() {
    workers.close();
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
