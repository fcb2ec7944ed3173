package io.flotilla.core.device;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a device is connected now, and what is known of its current or last connection. Not
 * part of {@link Device}: it has no version and no audit trail, because the device doors report
 * it (on every connect and disconnect) rather than an operator changing it.
 *
 * <p>{@code connectionId}, {@code connectedSince}, {@code clientAddress} and {@code protocol}
 * describe one connection and are present together, or all empty for a device that never
 * connected.
 *
 * @param connectionId names one connection from connect to disconnect, so that the late end of a
 *     replaced connection (an MQTT take-over) cannot mark offline the connection that replaced it
 * @param connectedSince when the current connection began, or the last one while offline
 * @param lastSeen when the device was last heard from: its connect, or any message since
 * @param disconnectedAt when the last connection ended; kept while a newer connection is up
 * @param clientAddress the remote address of the current or last connection, as the door saw it
 * @param protocol the protocol and its version, such as {@code mqtt-3.1.1} or {@code mqtt-5}
 * @param lastDisconnectReason why the last connection ended ({@code keep-alive timeout},
 *     {@code server restart}, …); kept while a newer connection is up
 */
public record DeviceConnection(TenantId tenant, DeviceId device, boolean online, Optional<String> connectionId,
    Optional<Instant> connectedSince, Optional<Instant> lastSeen, Optional<Instant> disconnectedAt,
    Optional<String> clientAddress, Optional<String> protocol, Optional<String> lastDisconnectReason) {
  public DeviceConnection {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(connectionId, "connectionId");
    Objects.requireNonNull(connectedSince, "connectedSince");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(disconnectedAt, "disconnectedAt");
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(lastDisconnectReason, "lastDisconnectReason");
    boolean connectedEver = connectionId.isPresent();
    if (connectedSince.isPresent() != connectedEver || clientAddress.isPresent() != connectedEver
        || protocol.isPresent() != connectedEver) {
      throw new IllegalArgumentException("connection id, connected-since, client address and protocol go together");
    }
    if (online && !connectedEver) {
      throw new IllegalArgumentException("an online device has a connection");
    }
  }

  /** A device that never connected: offline, nothing known. */
  public static DeviceConnection never(TenantId tenant, DeviceId device) {
    return new DeviceConnection(tenant, device, false, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** This state with {@code lastSeen} raised to {@code at} if that is later. */
  public DeviceConnection seenAt(Instant at) {
    if (lastSeen.filter(stored -> !stored.isBefore(at)).isPresent()) {
      return this;
    }
    return new DeviceConnection(tenant, device, online, connectionId, connectedSince, Optional.of(at), disconnectedAt,
        clientAddress, protocol, lastDisconnectReason);
  }
}
