package io.flotilla.core.service;

import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.device.DeviceConnection;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.store.ConnectionRepository.LastSeen;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which devices are connected, as the device doors (the MQTT gateway) report it. Connects and
 * disconnects are written at once and announced as {@code device.connected} and
 * {@code device.disconnected}; traffic only moves a last-seen time in memory, which
 * {@link #flushSeen()} writes for all devices in one transaction, so that no message costs a
 * database write of its own.
 *
 * <p>The door's reports carry no principal: the door has authenticated the device and speaks for
 * it. They are not audited either: connectivity is observed, not changed by anyone, and changes
 * far too often for the audit chain.
 */
public final class ConnectivityService {
  /** The reason recorded for every connection that a restart ended. */
  public static final String SERVER_RESTART = "server restart";
  private static final Logger LOG = LoggerFactory.getLogger(ConnectivityService.class);

  private final RegistryStore store;
  private final Clock clock;
  private final DomainEvents events;
  /** Last-seen times not yet written; an entry leaves only once a flush has stored its value. */
  private final Map<DeviceKey, Instant> unflushedSeen = new ConcurrentHashMap<>();

  public ConnectivityService(RegistryStore store, Clock clock, DomainEvents events) {
    this.store = store;
    this.clock = clock;
    this.events = events;
  }

  /**
   * Records that the device connected now and announces it. The result's {@code connectionId}
   * must be passed to {@link #disconnected} when this connection ends. A device that is online
   * already is taken over: the new connection replaces the old one in the store.
   *
   * @param clientAddress the remote address as the door saw it, such as {@code 203.0.113.7:51234}
   * @param protocol the protocol and its version, such as {@code mqtt-3.1.1} or {@code mqtt-5}
   * @throws NotFoundException when the device does not exist (it was deleted after authenticating)
   */
  public DeviceConnection connected(TenantId tenant, DeviceId device, String clientAddress, String protocol) {
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(protocol, "protocol");
    String connectionId = TokenSecrets.newId("conn");
    Instant now = clock.instant();
    DeviceConnection connection = store.write(tx -> {
      tx.devices().find(tenant, device).orElseThrow(() -> new NotFoundException("device", device.value()));
      tx.connections().upsertOnline(tenant, device, connectionId, now, clientAddress, protocol);
      return tx.connections().find(tenant, device).orElseThrow();
    });
    events.publish(ConnectivityEvents.connected(connection));
    return connection;
  }

  /**
   * Records that the connection {@code connectionId} of the device ended now, and announces it.
   * Returns false, and announces nothing, when that connection is no longer the device's current
   * one: after a take-over the old connection's end arrives after the new one began, and must not
   * mark the device offline. Also false when the device was marked offline already or deleted.
   *
   * @param reason why it ended, for operators: {@code client disconnected}, {@code keep-alive timeout}, …
   */
  public boolean disconnected(TenantId tenant, DeviceId device, String connectionId, String reason) {
    Objects.requireNonNull(connectionId, "connectionId");
    Objects.requireNonNull(reason, "reason");
    Instant now = clock.instant();
    Optional<DeviceConnection> ended = store.write(tx ->
        tx.connections().markOffline(tenant, device, connectionId, now, reason)
            ? tx.connections().find(tenant, device) : Optional.empty());
    ended.ifPresent(c -> events.publish(ConnectivityEvents.disconnected(c)));
    return ended.isPresent();
  }

  /** Notes that the device was heard from now; memory only, written by the next {@link #flushSeen()}. */
  public void seen(TenantId tenant, DeviceId device) {
    unflushedSeen.merge(new DeviceKey(tenant, device), clock.instant(), ConnectivityService::later);
  }

  /**
   * Writes the last-seen times noted since the previous flush, in one transaction, and returns
   * how many devices it covered; nothing is written when there are none. The caller decides how
   * often (every few seconds, and once on shutdown): that interval is how much a crash can lose.
   * If the write fails, the times stay in memory for the next flush.
   */
  public int flushSeen() {
    Map<DeviceKey, Instant> batch = Map.copyOf(unflushedSeen);
    if (batch.isEmpty()) {
      return 0;
    }
    List<LastSeen> times = batch.entrySet().stream()
        .map(e -> new LastSeen(e.getKey().tenant(), e.getKey().device(), e.getValue())).toList();
    store.write(tx -> {
      tx.connections().updateLastSeen(times);
      return null;
    });
    // Remove only the values just written: a device seen again meanwhile keeps its newer time for the next flush.
    batch.forEach((key, written) -> unflushedSeen.remove(key, written));
    return batch.size();
  }

  /**
   * Marks every device offline with the reason {@value #SERVER_RESTART} and announces each. Call
   * once at start, before any door accepts connections: no connection survives a restart, yet
   * the store still shows online whatever was connected when the process stopped or crashed.
   * Returns how many devices it marked offline.
   */
  public int startup() {
    List<DeviceConnection> ended = store.write(tx -> tx.connections().markAllOffline(SERVER_RESTART, clock.instant()));
    ended.forEach(c -> events.publish(ConnectivityEvents.disconnected(c)));
    if (!ended.isEmpty()) {
      LOG.info("Marked {} devices offline that were still recorded as connected from before the restart", ended.size());
    }
    return ended.size();
  }

  /**
   * The device's connectivity, with the newest last-seen time whether it is written yet or not.
   * A device that never connected reads as offline with nothing else known.
   */
  public DeviceConnection get(Principal principal, String deviceId) {
    principal.require(Permission.REGISTRY_READ);
    TenantId tenant = principal.tenant();
    Optional<DeviceConnection> stored = store.read(tx ->
        tx.connections().find(tenant, DeviceService.find(tx, tenant, deviceId).id()));
    if (stored.isEmpty()) {
      // A time noted for a device without a row is never written (the flush skips it), so it is not shown either.
      return DeviceConnection.never(tenant, new DeviceId(deviceId));
    }
    Instant unflushed = unflushedSeen.get(new DeviceKey(tenant, stored.get().device()));
    return unflushed == null ? stored.get() : stored.get().seenAt(unflushed);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** The map key of a device. */
  private record DeviceKey(TenantId tenant, DeviceId device) {}
}
