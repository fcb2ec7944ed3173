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
 */
public record GatewaySettings(Path dataDir, String bindAddress, int mqttPort, int mqttsPort, boolean allowAnonymous,
    ClientAuthMode clientAuth, List<String> tlsNames) {
  public GatewaySettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(clientAuth, "clientAuth");
    tlsNames = List.copyOf(tlsNames);
  }
}
