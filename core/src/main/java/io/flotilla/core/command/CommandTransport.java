package io.flotilla.core.command;

import io.flotilla.core.tenant.TenantId;

/** How commands reach devices: implemented by the device gateway over MQTT. */
public interface CommandTransport {

  /** True while the device holds a connection to this node. */
  boolean online(TenantId tenant, String deviceId);

  /**
   * Publishes the command to the device (QoS 1); false when no session of the device took it (it has not
   * subscribed to its commands topic yet). {@code onDelivered} runs once the device acknowledges the PUBLISH, on
   * any thread; it must not block.
   */
  boolean publish(Command command, Runnable onDelivered);

}
