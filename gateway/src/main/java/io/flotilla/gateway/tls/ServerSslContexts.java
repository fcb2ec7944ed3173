package io.flotilla.gateway.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds the Netty {@link SslContext} of the gateway's TLS listeners. */
public final class ServerSslContexts {
  /** TLS 1.3 and 1.2 only; older versions have known weaknesses and are refused in the handshake. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /**
   * TLS 1.3's suites, then TLS 1.2 suites with forward secrecy and authenticated encryption (Mozilla's
   * "intermediate" profile without the slow finite-field DHE), for ECDSA and RSA server keys.
   */
  public static final List<String> CIPHERS = List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private ServerSslContexts() {}

  /**
   * A server context presenting {@code identity}. With client authentication, any client certificate
   * whose key the client proves to hold is let through; the broker judges it afterwards (see
   * {@link AnyClientCertificateTrustManager} for why).
   */
  public static SslContext build(ServerIdentity identity, ClientAuthMode clientAuth) {
    SslContextBuilder builder = SslContextBuilder.forServer(identity.privateKey(), identity.chain())
        .sslProvider(SslProvider.JDK)
        .protocols(PROTOCOLS)
        .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .clientAuth(clientAuth.toNetty());
    if (clientAuth != ClientAuthMode.NONE) {
      builder.trustManager(new AnyClientCertificateTrustManager());
    }
    try {
      return builder.build();
    } catch (SSLException e) {
      throw new TlsSetupException("Cannot set up TLS with the certificate " + identity.certificate()
          .getSubjectX500Principal() + ": " + e.getMessage(), e);
    }
  }
}
