package io.flotilla.gateway.provisioning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.DevicePublisher;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.CertificateRotation;
import io.flotilla.core.service.CertificateRotation.Outcome;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a device's {@code devices/{its id}/certificates/rotate} requests ({@code {"csrPem", "clientToken"}}) to
 * {@link CertificateRotation} on a virtual thread (the registry and the CA block) and answers on
 * {@code …/rotate/accepted} ({@code certificateId, certificatePem, caCertificatePem, clientToken}) or
 * {@code …/rotate/rejected} ({@code code, error, message, clientToken}); MQTT 5 publishers also get a PUBACK
 * reason code of 0x80 or more when refused. Answers are retained (the last one per topic and device), so a
 * device that cannot subscribe and publish on one connection ({@code mosquitto_pub}, then {@code mosquitto_sub})
 * still reads its answer, matching its {@code clientToken}; an MQTT 5 request with a response topic in the device's
 * namespace is also answered there, with its correlation data. Requests are never routed on to subscribers.
 * Anyone but the device itself publishing on the topic is refused.
 */
public final class CertificateRotationInterceptor implements PublishInterceptor, AutoCloseable {
  static final int UNSPECIFIED_ERROR = 0x80;
  static final int NOT_AUTHORIZED = 0x87;
  static final int PAYLOAD_FORMAT_INVALID = 0x99;
  private static final String SUFFIX = "/certificates/rotate";
  private static final Logger LOG = LoggerFactory.getLogger(CertificateRotationInterceptor.class);

  private final CertificateRotation rotation;
  private final DevicePublisher publisher;
  private final Clock clock;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

  public CertificateRotationInterceptor(CertificateRotation rotation, DevicePublisher publisher, Clock clock) {
    this.rotation = rotation;
    this.publisher = publisher;
    this.clock = clock;
  }

  @Override
  public Optional<CompletionStage<PublishVerdict>> intercept(ClientIdentity who, BrokerMessage message,
      ProtocolVersion version) {
    Optional<String> target = rotateTarget(message.topic());
    if (target.isEmpty()) {
      return Optional.empty();
    }
    if (who.kind() != ClientIdentity.Kind.DEVICE || !who.deviceId().orElseThrow().equals(target.get())) {
      return Optional.of(CompletableFuture.completedFuture(new PublishVerdict.Refused(NOT_AUTHORIZED,
          "only device '" + target.get() + "' itself may rotate its certificate")));
    }
    TenantId tenant = new TenantId(who.tenant());
    DeviceId device = new DeviceId(target.get());
    return Optional.of(CompletableFuture.supplyAsync(() -> answer(tenant, device, who.credentialId(), message),
        workers));
  }

  private PublishVerdict answer(TenantId tenant, DeviceId device, Optional<String> credentialId, BrokerMessage request) {
    String base = "devices/" + device + SUFFIX;
    Outcome outcome;
    try {
      outcome = rotation.rotate(tenant, device, credentialId, request.payload());
    } catch (RuntimeException e) {
      LOG.warn("Rotating the certificate of device {}/{} failed", tenant, device, e);
      ObjectNode body = Json.object().put("code", "INTERNAL_ERROR").put("error", "internal error")
          .put("message", "the rotation failed on the server; send it again later");
      send(tenant, base + "/rejected", body, request);
      return new PublishVerdict.Refused(UNSPECIFIED_ERROR, "rotation failed on the server");
    }
    return switch (outcome) {
      case Outcome.Rotated rotated -> {
        ObjectNode body = Json.object().put("certificateId", rotated.certificate().id())
            .put("certificatePem", rotated.certificate().certificatePem())
            .put("caCertificatePem", rotated.caCertificatePem())
            .put("notAfter", rotated.certificate().notAfter().toString());
        rotated.clientToken().ifPresent(t -> body.put("clientToken", t));
        send(tenant, base + "/accepted", body, request);
        yield new PublishVerdict.Accepted(false);
      }
      case Outcome.Rejected rejected -> {
        ObjectNode body = Json.object().put("code", rejected.code().wireName())
            .put("error", error(rejected.code())).put("message", rejected.message());
        rejected.clientToken().ifPresent(t -> body.put("clientToken", t));
        send(tenant, base + "/rejected", body, request);
        yield new PublishVerdict.Refused(reasonCode(rejected.code()), rejected.code().wireName() + ": "
            + rejected.message());
      }
    };
  }

  /**
   * Publishes the answer on its topic and, for an MQTT 5 request with a response topic in the device's own
   * namespace, there too with its correlation data (so {@code mosquitto_rr} works).
   */
  private void send(TenantId tenant, String topic, ObjectNode body, BrokerMessage request) {
    byte[] payload = Json.MAPPER.valueToTree(body).toString().getBytes(StandardCharsets.UTF_8);
    publisher.publish(tenant, message(topic, payload, true, Optional.empty()));
    String namespace = topic.substring(0, topic.indexOf(SUFFIX) + 1);
    request.responseTopic().filter(t -> t.startsWith(namespace) && !t.contains("+") && !t.contains("#"))
        .ifPresent(t -> publisher.publish(tenant, message(t, payload, false, request.correlationData())));
  }

  private BrokerMessage message(String topic, byte[] payload, boolean retain, Optional<byte[]> correlation) {
    return new BrokerMessage(topic, payload, 1, retain, Optional.empty(), Optional.of("application/json"),
        Optional.empty(), correlation, true, List.of(), clock.instant());
  }

  private static String error(CertificateRotation.Code code) {
    return switch (code) {
      case BAD_REQUEST -> "malformed request";
      case INVALID_CSR -> "invalid certificate signing request";
      case NOT_ALLOWED -> "not allowed";
      case DEVICE_NOT_ACTIVE -> "device not active";
      case CA_UNAVAILABLE -> "CA unavailable";
    };
  }

  private static int reasonCode(CertificateRotation.Code code) {
    return switch (code) {
      case BAD_REQUEST, INVALID_CSR -> PAYLOAD_FORMAT_INVALID;
      case NOT_ALLOWED, DEVICE_NOT_ACTIVE -> NOT_AUTHORIZED;
      case CA_UNAVAILABLE -> UNSPECIFIED_ERROR;
    };
  }

  /** The device id of {@code devices/{id}/certificates/rotate}, else empty. */
  static Optional<String> rotateTarget(String topic) {
    if (!topic.startsWith("devices/") || !topic.endsWith(SUFFIX)) {
      return Optional.empty();
    }
    String id = topic.substring(8, topic.length() - SUFFIX.length());
    return id.isEmpty() || id.contains("/") ? Optional.empty() : Optional.of(id);
  }

  @Override
  public boolean saturated() {
    return false;
  }

  @Override
  public void whenUnsaturated(Runnable resume) {
    resume.run();
  }

  @Override
  public void close() {
    workers.shutdown();
  }
}
