package io.flotilla.gateway.mqtt.auth;

import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client presented when connecting. The password is kept out of {@link #toString()}.
 *
 * @param clientId the client identifier as sent; empty when the client asked the server to assign one
 * @param certificateChain the verified TLS client certificate chain, leaf first, when the client
 *     connected over TLS with a certificate
 */
public record ConnectInfo(String clientId, Optional<String> username, Optional<byte[]> password,
    Optional<List<X509Certificate>> certificateChain, SocketAddress remoteAddress, ProtocolVersion protocolVersion) {

  public ConnectInfo {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    certificateChain = certificateChain.map(List::copyOf);
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    Objects.requireNonNull(protocolVersion, "protocolVersion");
  }

  @Override
  public String toString() {
    return "ConnectInfo[clientId=" + clientId + ", username=" + username.orElse("-") + ", password="
        + (password.isPresent() ? "***" : "-") + ", certificate=" + certificateChain.isPresent() + ", remote="
        + remoteAddress + ", version=" + protocolVersion + "]";
  }
}
