package io.flotilla.ca;

import io.flotilla.core.ca.CertificateTemplate;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** Device certificates: TLS client certificates for the device's own key, signed by its tenant's CA. */
final class DeviceCertificates {
  private DeviceCertificates() {}

  /**
   * A client certificate for {@code deviceKey}: subject and validity from the template, not a CA, client
   * authentication only. RSA keys may also encipher keys, for TLS 1.2 peers that use RSA key exchange.
   */
  static X509Certificate issue(X509Certificate ca, PrivateKey caKey, SubjectPublicKeyInfo deviceKey,
      CertificateTemplate template, BigInteger serial) {
    boolean rsa = deviceKey.getAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new X509v3CertificateBuilder(new JcaX509CertificateHolder(ca).getSubject(),
          serial, Date.from(template.notBefore()), Date.from(template.notAfter()),
          X509Signing.commonName(template.commonName()), deviceKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(rsa ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(deviceKey))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
      return X509Signing.sign(builder, caKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the device certificate", e);
    }
  }
}
