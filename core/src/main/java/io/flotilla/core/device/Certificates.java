package io.flotilla.core.device;

import io.flotilla.core.error.ValidationException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;

/** Reads X.509 certificates and computes the fingerprints devices are matched by. */
public final class Certificates {
  private Certificates() {}

  /** Parses exactly one PEM certificate; anything else is a validation error on {@code field}. */
  public static X509Certificate parsePem(String field, String pem) {
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new ValidationException(field, "must be a PEM certificate starting with -----BEGIN CERTIFICATE-----");
    }
    try {
      Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      if (certs.size() != 1) {
        throw new ValidationException(field, "must hold exactly one certificate, not " + certs.size());
      }
      return (X509Certificate) certs.iterator().next();
    } catch (CertificateException e) {
      throw new ValidationException(field, "is not a readable X.509 certificate: " + e.getMessage());
    }
  }

  /** The certificate in PEM, re-encoded from its DER (whatever text surrounded it is dropped). */
  public static String pem(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("the certificate cannot be encoded", e);
    }
  }

  /** The lower-case hex SHA-256 of the certificate's DER encoding. */
  public static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("the certificate cannot be encoded", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
