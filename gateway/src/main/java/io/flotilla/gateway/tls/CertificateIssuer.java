package io.flotilla.gateway.tls;

import io.flotilla.ca.Serials;
import io.flotilla.ca.X509Signing;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * Makes the server certificates the built-in CA signs, with Bouncy Castle's certificate builder over the
 * JDK's own crypto providers (no provider is registered globally). Keys, the CA certificate and signing come
 * from the {@code ca} module, which the tenant CAs use too.
 */
final class CertificateIssuer {
  private CertificateIssuer() {}

  /** A TLS server certificate for {@code names}, signed by the CA. */
  static X509Certificate serverCertificate(X509Certificate ca, PrivateKey caKey, PublicKey server, ServerNames names,
      Instant notBefore, Instant notAfter) {
    String commonName = names.dnsNames().stream().filter(n -> !n.equals("localhost") && !n.startsWith("*"))
        .findFirst().orElse("localhost");
    GeneralName[] sans = Stream.concat(
        names.dnsNames().stream().map(n -> new GeneralName(GeneralName.dNSName, n)),
        names.ipAddresses().stream().map(ip -> new GeneralName(GeneralName.iPAddress, ip)))
        .toArray(GeneralName[]::new);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, Serials.random(), Date.from(notBefore),
          Date.from(notAfter), X509Signing.commonName(commonName), server)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(server))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
      return X509Signing.sign(builder, caKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the server certificate", e);
    }
  }
}
