package io.flotilla.ca;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Signs what Flotilla's CAs make. Their keys are ECDSA P-256, so signatures are SHA256withECDSA. */
public final class X509Signing {
  static final String SIGNATURE = "SHA256withECDSA";

  private X509Signing() {}

  /** Signs the certificate with the CA's key. */
  public static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey caKey) {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer(caKey)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot turn the signed certificate into an X509Certificate", e);
    }
  }

  /** A name holding one common name. */
  public static X500Name commonName(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  static ContentSigner signer(PrivateKey caKey) {
    try {
      return new JcaContentSignerBuilder(SIGNATURE).build(caKey);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with " + SIGNATURE + " using a " + caKey.getAlgorithm() + " key", e);
    }
  }
}
