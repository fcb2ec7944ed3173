package io.flotilla.core.broker;

import io.flotilla.core.tenant.TenantId;

/**
 * How the platform itself speaks to devices over MQTT (twin deltas, commands, provisioning answers):
 * it publishes into a tenant's topic space as if it were a client allowed everywhere, and subscribers
 * receive the message like any other. Implemented by the gateway.
 */
public interface DevicePublisher {

  /**
   * Publishes {@code message} to the tenant's subscribers (and keeps it when retained); returns how many
   * sessions it was delivered or queued to, 0 when nobody subscribes.
   */
  int publish(TenantId tenant, BrokerMessage message);

  /**
   * Makes {@code message} its topic's retained message (an empty payload removes it) without delivering it to
   * anyone: for state a subscriber should find when it subscribes, updated quietly in between (a twin's delta).
   */
  void retain(TenantId tenant, BrokerMessage message);

  /**
   * {@link #publish(TenantId, BrokerMessage)}, telling {@code acknowledged} the client id of each session whose
   * client acknowledged its copy (MQTT PUBACK for QoS 1, PUBCOMP for QoS 2). It runs on the broker's event loop
   * and must not block; it is not called for copies restored after a restart.
   */
  int publish(TenantId tenant, BrokerMessage message, java.util.function.Consumer<String> acknowledged);

  /** True while a client with this id is connected in the tenant. */
  boolean connected(TenantId tenant, String clientId);
}
