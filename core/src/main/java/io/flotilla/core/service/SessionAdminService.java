package io.flotilla.core.service;

import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.broker.BrokerAdmin;
import io.flotilla.core.broker.ClientSession;
import io.flotilla.core.error.NotFoundException;
import java.util.List;

/** Operators' view of the broker's sessions in their tenant, and the power to close one. */
public final class SessionAdminService {
  private final BrokerAdmin broker;

  public SessionAdminService(BrokerAdmin broker) {
    this.broker = broker;
  }

  public List<ClientSession> sessions(Principal principal) {
    principal.require(Permission.REGISTRY_READ);
    return broker.sessions(principal.tenant());
  }

  public void disconnect(Principal principal, String clientId, boolean discardSession) {
    principal.require(Permission.REGISTRY_WRITE);
    if (!broker.disconnect(principal.tenant(), clientId, discardSession)) {
      throw new NotFoundException("MQTT session", clientId);
    }
  }
}
