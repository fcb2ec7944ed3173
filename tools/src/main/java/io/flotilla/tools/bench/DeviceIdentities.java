package io.flotilla.tools.bench;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import javax.net.ssl.SSLException;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Device keys and certificates as a factory would make them: an ECDSA P-256 key made on the device, a CSR
 * signed with it, and the certificate the tenant CA issued for it, held as a TLS client context that presents
 * it. The server is trusted without a check, as everywhere in the load generator.
 */
final class DeviceIdentities {
  private DeviceIdentities() {
  }

  /** A device's key pair and its CSR (PEM) for subject CN = {@code deviceId}. */
  record Request(String deviceId, KeyPair keys, String csrPem) {
  }

  static Request request(String deviceId) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
          new X500Principal("CN=" + deviceId), keys.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      return new Request(deviceId, keys, pem(csr));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("The JDK cannot make a P-256 key and CSR: " + e.getMessage(), e);
    }
  }

  /** A client context presenting {@code certificatePem} with the request's key. */
  static SslContext clientContext(Request request, String certificatePem) {
    try {
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
      return SslContextBuilder.forClient().keyManager(request.keys().getPrivate(), certificate)
          .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    } catch (GeneralSecurityException | SSLException e) {
      throw new IllegalStateException("Cannot make a TLS context for device " + request.deviceId() + ": "
          + e.getMessage(), e);
    }
  }

  private static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return text.toString();
  }
}
