package io.flotilla.gateway.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Lets any client certificate through the TLS handshake; the broker decides afterwards who it belongs to.
 *
 * <p>Why not the JDK's trust store: device certificates are self-signed or issued by tenants' CAs, and a
 * device is recognized by the SHA-256 fingerprint of the certificate registered for it
 * ({@code DeviceAuthentication#byCertificateFingerprint}), not by a chain to a CA the server knows. The
 * TLS layer cannot decide that: it knows neither the tenant nor the registry, and a certificate refused
 * here would end the connection with a bare handshake alert instead of the specific refusal the broker
 * sends (unknown certificate, revoked, expired, device suspended). So this manager accepts any
 * non-empty chain, including expired ones, and the broker's authenticator reads the chain from the
 * {@code SSLSession} ({@link PeerCertificates}) and judges it.
 *
 * <p>What TLS still guarantees: the client proves it holds the private key of the certificate it
 * presents (the handshake's CertificateVerify message, checked by the TLS engine, not by this class), so
 * a stolen certificate without its key gets nowhere. Being an {@link X509ExtendedTrustManager}, the JDK
 * uses it as it is instead of wrapping it with its own extra checks.
 *
 * <p>It only ever judges clients: asked about a server it refuses, so it cannot be misused to make a
 * client trust any server.
 */
final class AnyClientCertificateTrustManager extends X509ExtendedTrustManager {
  private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the client presented no certificate");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("this trust manager judges client certificates only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  /** No issuers: the server's certificate request names no CA, so clients offer whatever certificate they have. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NO_ISSUERS;
  }
}
