package io.flotilla.gateway;

import io.flotilla.gateway.tls.ClientAuthMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How the device gateway listens.
 *
 * @param mqttPort plain MQTT (development); 0 picks a free port
 * @param mqttsPort MQTT over TLS; 0 picks a free port
 * @param tlsNames extra names for the server certificate the gateway issues itself
 * @param maxPublishRate PUBLISH messages per second and connection; 0 for no limit
 * @param maxPublishBytesRate PUBLISH bytes per second and connection; 0 for no limit
 * @param maxConnectionsPerTenant connected clients per tenant; 0 for no limit
 */
public record GatewaySettings(Path dataDir, String bindAddress, int mqttPort, int mqttsPort, boolean allowAnonymous,
    ClientAuthMode clientAuth, List<String> tlsNames, int maxPublishRate, int maxPublishBytesRate,
    int maxConnectionsPerTenant) {
  public GatewaySettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(clientAuth, "clientAuth");
    tlsNames = List.copyOf(tlsNames);
  }
}
