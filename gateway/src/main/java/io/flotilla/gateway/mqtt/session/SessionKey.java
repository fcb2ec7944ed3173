package io.flotilla.gateway.mqtt.session;

import java.util.Objects;

/** Sessions are identified by tenant and client id: the same client id in two tenants is two sessions. */
public record SessionKey(String tenant, String clientId) {
  public SessionKey {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(clientId, "clientId");
  }

  @Override
  public String toString() {
    return tenant + "/" + clientId;
  }
}
