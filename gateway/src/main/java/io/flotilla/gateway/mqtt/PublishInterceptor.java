package io.flotilla.gateway.mqtt;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.ProtocolVersion;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Takes over authorized PUBLISHes the platform itself consumes (telemetry, say) before they are routed.
 * The broker acknowledges such a message only when the returned stage completes, with what the verdict
 * says, and keeps a connection's acknowledgements in the order its messages came.
 *
 * <p>Called on the connection's event loop: {@link #intercept} must not block.
 */
public interface PublishInterceptor {

  /** Empty for messages the broker routes as usual; otherwise the verdict to come. */
  Optional<CompletionStage<PublishVerdict>> intercept(ClientIdentity who, BrokerMessage message,
      ProtocolVersion version);

  /** True while the consumer is backed up: the broker stops reading from clients that feed it. */
  boolean saturated();

  /** Runs {@code resume} once, from any thread, when it is no longer saturated. */
  void whenUnsaturated(Runnable resume);

  /** Intercepts nothing. */
  PublishInterceptor NONE = new PublishInterceptor() {
    @Override
    public Optional<CompletionStage<PublishVerdict>> intercept(ClientIdentity who, BrokerMessage message,
        ProtocolVersion version) {
      return Optional.empty();
    }

    @Override
    public boolean saturated() {
      return false;
    }

    @Override
    public void whenUnsaturated(Runnable resume) {
      resume.run();
    }
  };
}
