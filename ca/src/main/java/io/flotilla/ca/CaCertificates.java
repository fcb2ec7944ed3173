package io.flotilla.ca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/** Self-signed CA certificates, for the server's own TLS CA and for tenants' device CAs alike. */
public final class CaCertificates {
  private CaCertificates() {}

  /**
   * A self-signed CA that may sign end-entity certificates and CRLs only: path length 0, key usages
   * keyCertSign and cRLSign, both critical.
   */
  public static X509Certificate selfSigned(KeyPair ca, String commonName, Instant notBefore, Instant notAfter) {
    X500Name subject = X509Signing.commonName(commonName);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, Serials.random(),
          Date.from(notBefore), Date.from(notAfter), subject, ca.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
      return X509Signing.sign(builder, ca.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the CA certificate", e);
    }
  }
}
