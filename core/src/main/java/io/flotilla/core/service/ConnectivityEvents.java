package io.flotilla.core.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.device.DeviceConnection;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.json.Json;

/** The {@code device.connected} and {@code device.disconnected} events, made from the state just written. */
final class ConnectivityEvents {
  static final String CONNECTED = "device.connected";
  static final String DISCONNECTED = "device.disconnected";

  private ConnectivityEvents() {}

  /** Data: connectionId, clientAddress, protocol. */
  static DomainEvent connected(DeviceConnection c) {
    return new DomainEvent(c.tenant(), CONNECTED, "device", c.device().value(), c.connectedSince().orElseThrow(),
        connection(c));
  }

  /** Data: connectionId, clientAddress and protocol of the connection that ended, and the reason. */
  static DomainEvent disconnected(DeviceConnection c) {
    return new DomainEvent(c.tenant(), DISCONNECTED, "device", c.device().value(), c.disconnectedAt().orElseThrow(),
        connection(c).put("reason", c.lastDisconnectReason().orElseThrow()));
  }

  private static ObjectNode connection(DeviceConnection c) {
    return Json.object().put("connectionId", c.connectionId().orElseThrow())
        .put("clientAddress", c.clientAddress().orElseThrow()).put("protocol", c.protocol().orElseThrow());
  }
}
