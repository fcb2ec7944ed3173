package io.flotilla.gateway.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the gateway's TLS listeners identify themselves and whether they ask devices for certificates.
 *
 * <p>Without operator files the server issues its own certificate from a CA it creates in
 * {@code <data>/tls} on first start, so TLS works out of the box; devices trust that CA's
 * {@code ca.pem} (served at {@code GET /api/v1/server/ca.pem}).
 *
 * @param extraNames DNS names (a leading {@code *.} allowed) and IP addresses the built-in server
 *     certificate names besides localhost, 127.0.0.1, ::1 and the host's name; say here the names devices
 *     connect to. Ignored with operator files
 * @param certificateChainFile the operator's PEM file with the server certificate first, then any
 *     intermediate CA certificates; given together with {@code privateKeyFile} or not at all
 * @param privateKeyFile the operator's PEM private key for that certificate (PKCS#8, or the PKCS#1 RSA and
 *     SEC1 EC forms); unencrypted
 * @param clientAuth whether devices are asked for a client certificate
 */
public record TlsSettings(List<String> extraNames, Optional<Path> certificateChainFile,
    Optional<Path> privateKeyFile, ClientAuthMode clientAuth) {

  public TlsSettings {
    extraNames = List.copyOf(extraNames);
    Objects.requireNonNull(certificateChainFile, "certificateChainFile");
    Objects.requireNonNull(privateKeyFile, "privateKeyFile");
    Objects.requireNonNull(clientAuth, "clientAuth");
    for (String name : extraNames) {
      if (!ServerNames.isIpAddress(name) && !ServerNames.isDnsName(name)) {
        throw new IllegalArgumentException("Invalid TLS setting: the extra server name '" + name
            + "' is neither a DNS name (like mqtt.example.com) nor an IP address");
      }
    }
    if (certificateChainFile.isPresent() != privateKeyFile.isPresent()) {
      throw new IllegalArgumentException("Invalid TLS setting: give both the server certificate chain file "
          + "and its private key file, or neither (then the server issues its own certificate)");
    }
  }

  /** No extra names, the built-in CA, client certificates optional. */
  public static TlsSettings defaults() {
    return new TlsSettings(List.of(), Optional.empty(), Optional.empty(), ClientAuthMode.OPTIONAL);
  }

  /** True when the operator gave a certificate chain and key, so nothing is issued. */
  public boolean usesOperatorCertificate() {
    return certificateChainFile.isPresent();
  }

  public TlsSettings withExtraNames(List<String> names) {
    return new TlsSettings(names, certificateChainFile, privateKeyFile, clientAuth);
  }

  public TlsSettings withOperatorCertificate(Path chainFile, Path keyFile) {
    return new TlsSettings(extraNames, Optional.of(chainFile), Optional.of(keyFile), clientAuth);
  }

  public TlsSettings withClientAuth(ClientAuthMode mode) {
    return new TlsSettings(extraNames, certificateChainFile, privateKeyFile, mode);
  }
}
