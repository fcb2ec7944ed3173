package io.flotilla.gateway.tls;

import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Reads the certificate chain a client presented. Call it once the handshake is done (after
 * {@link SslHandler#handshakeFuture()} succeeded; any MQTT packet arrives after that). The chain has NOT
 * been judged by TLS: the caller must match it, normally by the fingerprint of its first certificate
 * ({@code io.flotilla.core.device.Certificates#fingerprint}).
 */
public final class PeerCertificates {
  private PeerCertificates() {}

  /** The client's chain, its own certificate first; empty when it presented none. */
  public static List<X509Certificate> of(SslHandler handler) {
    return of(handler.engine().getSession());
  }

  /** The peer's chain in {@code session}, its own certificate first; empty when it presented none. */
  public static List<X509Certificate> of(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain == null ? List.of() : Arrays.stream(chain)
          .filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast).toList();
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }
}
