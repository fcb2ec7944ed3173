package io.flotilla.gateway.mqtt;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.ProtocolVersion;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The platform's interceptors in the order they were added: the first that takes a message decides it.
 * Features built after the gateway started (twins, commands, provisioning) add theirs here, so the broker
 * keeps one interceptor and knows nothing of them. Saturated while any member is.
 */
public final class InterceptorChain implements PublishInterceptor {
  private final List<PublishInterceptor> members = new CopyOnWriteArrayList<>();

  public InterceptorChain(PublishInterceptor first) {
    members.add(first);
  }

  /** Adds {@code interceptor} after the ones already here; it sees only what they leave. */
  public InterceptorChain add(PublishInterceptor interceptor) {
    members.add(interceptor);
    return this;
  }

  @Override
  public Optional<CompletionStage<PublishVerdict>> intercept(ClientIdentity who, BrokerMessage message,
      ProtocolVersion version) {
    for (PublishInterceptor member : members) {
      Optional<CompletionStage<PublishVerdict>> verdict = member.intercept(who, message, version);
      if (verdict.isPresent()) {
        return verdict;
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean saturated() {
    for (PublishInterceptor member : members) {
      if (member.saturated()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void whenUnsaturated(Runnable resume) {
    for (PublishInterceptor member : members) {
      if (member.saturated()) {
        member.whenUnsaturated(() -> whenUnsaturated(resume)); // another member may have filled meanwhile
        return;
      }
    }
    resume.run();
  }
}
