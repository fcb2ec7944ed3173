package io.flotilla.core.broker;

import io.flotilla.core.tenant.TenantId;
import java.util.List;

/** The broker's operator controls: what sessions a tenant has, and closing one. Implemented by the gateway. */
public interface BrokerAdmin {
  /** The tenant's sessions, connected and persistent-offline, ordered by client id. */
  List<ClientSession> sessions(TenantId tenant);

  /**
   * Closes the client's connection (MQTT 5: DISCONNECT 0x98 administrative action) and, when
   * {@code discardSession}, forgets its persistent session. Returns false when there was no such session.
   */
  boolean disconnect(TenantId tenant, String clientId, boolean discardSession);
}
