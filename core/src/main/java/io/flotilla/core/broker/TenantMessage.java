package io.flotilla.core.broker;

import java.util.Objects;

/** A message together with the tenant whose topic space it lives in. */
public record TenantMessage(String tenant, BrokerMessage message) {
  public TenantMessage {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(message, "message");
  }
}
