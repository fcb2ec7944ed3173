package io.flotilla.gateway;

import io.flotilla.core.device.DeviceConnection;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.service.ConnectivityService;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.gateway.mqtt.ConnectionListener;
import io.flotilla.gateway.mqtt.DisconnectReason;
import io.flotilla.gateway.mqtt.auth.ClientIdentity;
import io.flotilla.gateway.mqtt.auth.ProtocolVersion;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the registry when devices come and go. The broker calls on its event loops, which must
 * not wait for a database, so the writes run on one thread of their own, in the order the
 * broker saw them — a device's disconnect never overtakes its connect.
 */
final class ConnectivityBridge implements ConnectionListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectivityBridge.class);

  private final ConnectivityService connectivity;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofPlatform()
      .name("connectivity-writer").daemon().factory());
  /** The connection id the registry gave each connected device, to end exactly that connection later. */
  private final Map<DeviceKey, String> connectionIds = new ConcurrentHashMap<>();

  ConnectivityBridge(ConnectivityService connectivity) {
    this.connectivity = connectivity;
  }

  @Override
  public void onConnected(ClientIdentity identity, String clientId, SocketAddress remoteAddress,
      ProtocolVersion version) {
    if (identity.deviceId().isEmpty()) {
      return;
    }
    DeviceKey key = new DeviceKey(new TenantId(identity.tenant()), new DeviceId(identity.deviceId().get()));
    String protocol = BrokerSessions.protocolName(version);
    writer.execute(() -> {
      try {
        DeviceConnection c = connectivity.connected(key.tenant(), key.device(), remoteAddress.toString(), protocol);
        c.connectionId().ifPresent(id -> connectionIds.put(key, id));
      } catch (RuntimeException e) {
        LOG.warn("Could not record that device {}/{} connected: {}", key.tenant(), key.device(), e.getMessage());
      }
    });
  }

  @Override
  public void onDisconnected(ClientIdentity identity, String clientId, DisconnectReason reason) {
    if (identity.deviceId().isEmpty()) {
      return;
    }
    DeviceKey key = new DeviceKey(new TenantId(identity.tenant()), new DeviceId(identity.deviceId().get()));
    writer.execute(() -> {
      String connectionId = connectionIds.remove(key);
      if (connectionId == null) {
        return;
      }
      try {
        connectivity.disconnected(key.tenant(), key.device(), connectionId,
            reason.name().toLowerCase(Locale.ROOT).replace('_', ' '));
      } catch (RuntimeException e) {
        LOG.warn("Could not record that device {}/{} disconnected: {}", key.tenant(), key.device(), e.getMessage());
      }
    });
  }

  /**
   * Marks every connected device as seen now. A connected device has shown itself within its
   * keep-alive window (the broker drops it otherwise), so this keeps last-seen true to within the
   * caller's interval without any work per message.
   */
  void touchConnected() {
    connectionIds.keySet().forEach(key -> connectivity.seen(key.tenant(), key.device()));
  }

  /** Waits until the writes queued so far are done; for shutdown and tests. */
  void awaitWritten() {
    try {
      writer.submit(() -> { }).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Connectivity writes did not finish in time: {}", e.toString());
    }
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A device across tenants. */
  private record DeviceKey(TenantId tenant, DeviceId device) {}
}
