package io.flotilla.gateway.telemetry;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.error.DomainException;
import io.flotilla.core.service.TelemetryIngest;
import io.flotilla.core.telemetry.TelemetryBusException;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.gateway.mqtt.PublishInterceptor;
import io.flotilla.gateway.mqtt.PublishVerdict;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.ProtocolVersion;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Takes a device's messages on {@code devices/{its id}/telemetry} into the telemetry pipeline: checked at
 * once (MQTT 5 PUBACK 0x99 with the first violation when refused), acknowledged when durable, and only
 * then routed on to subscribers of the topic.
 */
public final class TelemetryInterceptor implements PublishInterceptor {

  static final int PAYLOAD_FORMAT_INVALID = 0x99;
  static final int UNSPECIFIED_ERROR = 0x80;
  static final int QUOTA_EXCEEDED = 0x97;
  static final int SERVER_UNAVAILABLE = 0x88;

  private final TelemetryIngest ingest;

  public TelemetryInterceptor(TelemetryIngest ingest) {
    this.ingest = ingest;
  }

  @Override
  public Optional<CompletionStage<PublishVerdict>> intercept(ClientIdentity who, BrokerMessage message,
      ProtocolVersion version) {
    if (who.kind() != ClientIdentity.Kind.DEVICE || !isTelemetryTopic(message.topic(), who.deviceId().orElseThrow())) {
      return Optional.empty();
    }
    TelemetryIngest.Outcome outcome;
    try {
      outcome = ingest.ingest(new TenantId(who.tenant()), who.deviceId().orElseThrow(), who.profileId().orElse(""),
          "mqtt", message.payload());
    } catch (DomainException e) {
      // The device's profile is gone, say: nothing it sends can be checked until an operator fixes that.
      return Optional.of(CompletableFuture.completedFuture(new PublishVerdict.Refused(UNSPECIFIED_ERROR,
          e.getMessage())));
    }
    return Optional.of(switch (outcome) {
      case TelemetryIngest.Outcome.Refused refused -> CompletableFuture.completedFuture(
          new PublishVerdict.Refused(PAYLOAD_FORMAT_INVALID, refused.rejection().reason()));
      case TelemetryIngest.Outcome.Taken taken -> taken.durable()
          .handle((ok, error) -> error == null ? PublishVerdict.ROUTE : failed(error));
    });
  }

  private static PublishVerdict failed(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof TelemetryBusException e) {
      return switch (e.kind()) {
        case OVERLOADED -> new PublishVerdict.Failed(QUOTA_EXCEEDED, "Telemetry pipeline overloaded; send again");
        case STORE_FAILED -> new PublishVerdict.Failed(UNSPECIFIED_ERROR, "Telemetry store unavailable; send again");
        case CLOSED -> new PublishVerdict.Failed(SERVER_UNAVAILABLE, "Server shutting down; send again");
      };
    }
    return new PublishVerdict.Failed(UNSPECIFIED_ERROR, "Telemetry not stored; send again");
  }

  /** {@code devices/{deviceId}/telemetry}, compared without building a string per message. */
  static boolean isTelemetryTopic(String topic, String deviceId) {
    return topic.length() == 8 + deviceId.length() + 10 && topic.startsWith("devices/")
        && topic.startsWith(deviceId, 8) && topic.startsWith("/telemetry", 8 + deviceId.length());
  }

  @Override
  public boolean saturated() {
    return ingest.saturated();
  }

  @Override
  public void whenUnsaturated(Runnable resume) {
    ingest.whenUnsaturated(resume);
  }
}
