package io.flotilla.ca;

import io.flotilla.core.ca.RevokedSerial;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** Certificate revocation lists (X.509 v2) signed by a CA. */
final class Crls {
  private Crls() {}

  /** The CRL in DER: each revoked serial with its revocation time, the CRL number, the issuing CA's key id. */
  static byte[] sign(X509Certificate ca, PrivateKey caKey, List<RevokedSerial> revoked, long number,
      Instant thisUpdate, Instant nextUpdate) {
    try {
      X509v2CRLBuilder builder = new X509v2CRLBuilder(new JcaX509CertificateHolder(ca).getSubject(),
          Date.from(thisUpdate));
      builder.setNextUpdate(Date.from(nextUpdate));
      for (RevokedSerial entry : revoked) {
        // No reason code: RFC 5280 asks to leave out "unspecified", and the platform does not record reasons yet.
        builder.addCRLEntry(Serials.parse(entry.serial()), Date.from(entry.revokedAt()), null);
      }
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
      builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
      return builder.build(X509Signing.signer(caKey)).getEncoded();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the CRL", e);
    }
  }
}
