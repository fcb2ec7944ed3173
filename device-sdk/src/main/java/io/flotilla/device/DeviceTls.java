package io.flotilla.device;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for {@link FlotillaDevice.Builder#tls}: trust the server's CA (Flotilla's built-in TLS CA is
 * {@code <data>/tls/ca.pem} on the server) and, for certificate login, present the device's
 * certificate and key from a PKCS#12 file (e.g. {@code openssl pkcs12 -export -in device.pem -inkey
 * device.key -out device.p12}).
 */
public final class DeviceTls {
  private DeviceTls() {}

  /** Trusts the CA certificates in {@code caPem}; presents no client certificate (log in with a token). */
  public static SSLSocketFactory trusting(Path caPem) {
    return socketFactory(caPem, Optional.empty(), new char[0]);
  }

  /** Trusts {@code caPem} and presents the key and certificate in {@code pkcs12} (certificate login). */
  public static SSLSocketFactory withClientCertificate(Path caPem, Path pkcs12, char[] password) {
    return socketFactory(caPem, Optional.of(pkcs12), password);
  }

  private static SSLSocketFactory socketFactory(Path caPem, Optional<Path> pkcs12, char[] password) {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(caPem)) {
        int i = 0;
        for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          trust.setCertificateEntry("ca-" + i++, ca);
        }
        if (i == 0) {
          throw new IllegalArgumentException(caPem + " holds no PEM certificate");
        }
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (pkcs12.isPresent()) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12.get())) {
          keys.load(in, password);
        }
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read TLS material: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
