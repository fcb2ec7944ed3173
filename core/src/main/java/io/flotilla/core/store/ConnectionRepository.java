package io.flotilla.core.store;

import io.flotilla.core.device.DeviceConnection;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Connectivity state, one row per device that ever connected; the row goes with its device.
 * Connects and disconnects are written as they happen; last-seen times arrive in batches.
 */
public interface ConnectionRepository {
  /**
   * Records a new connection of the device: online from {@code at}, last seen at {@code at},
   * replacing the current connection if there is one (a take-over). The last disconnect's time
   * and reason are kept. The device must exist.
   */
  void upsertOnline(TenantId tenant, DeviceId device, String connectionId, Instant at, String clientAddress,
      String protocol);

  /**
   * Marks the device offline at {@code at} for {@code reason}, but only while {@code connectionId}
   * is still its current, online connection; false when it is not (a newer connection replaced
   * it, it was marked offline already, or the device has no connection row).
   */
  boolean markOffline(TenantId tenant, DeviceId device, String connectionId, Instant at, String reason);

  /** The device's connectivity; empty when it never connected. */
  Optional<DeviceConnection> find(TenantId tenant, DeviceId device);

  /**
   * Raises the last-seen time of each listed device to its time, in one batch; a time older than
   * the stored one, or for a device without a connection row, changes nothing.
   */
  void updateLastSeen(List<LastSeen> times);

  /**
   * Marks every online device offline at {@code at} for {@code reason} and returns their new
   * state. Run at start, when no connection can have survived, however the process ended.
   *
   * <p>Single node for now: every row belongs to this node. In cluster mode each node owns the
   * connections it accepted, and this becomes "every device connected to <em>this node</em>",
   * with rows keyed by the node that holds the connection.
   */
  List<DeviceConnection> markAllOffline(String reason, Instant at);

  /** A device and when it was last heard from. */
  record LastSeen(TenantId tenant, DeviceId device, Instant at) {
    public LastSeen {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(at, "at");
    }
  }
}
