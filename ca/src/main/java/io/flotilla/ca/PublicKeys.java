package io.flotilla.ca;

import io.flotilla.core.ca.CertificateRequest;
import io.flotilla.core.error.ValidationException;
import java.io.IOException;
import java.io.StringReader;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;

/**
 * Bare public keys a manifest vouches for ({@code -----BEGIN PUBLIC KEY-----}, as {@code openssl pkey -pubout}
 * writes): the same accepted key types as requests, but no signature, so no proof that anyone holds the private key.
 */
final class PublicKeys {
  static final String BEGIN = "-----BEGIN PUBLIC KEY-----";

  private PublicKeys() {}

  /** Checks the key; every refusal is a {@link ValidationException} on {@code field} saying why. */
  static CertificateRequest check(String field, String pem) {
    SubjectPublicKeyInfo key = parse(field, pem);
    return new CertificateRequest(pem, AcceptedKeys.describe(field, key), "", false);
  }

  static SubjectPublicKeyInfo parse(String field, String pem) {
    if (!pem.contains(BEGIN)) {
      throw new ValidationException(field, "must be a public key in PEM, starting with " + BEGIN
          + " (openssl pkey -in device.key -pubout)");
    }
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object first = parser.readObject();
      if (!(first instanceof SubjectPublicKeyInfo key)) {
        throw new ValidationException(field, "holds no public key before its first other PEM block");
      }
      if (parser.readObject() != null) {
        throw new ValidationException(field, "must hold exactly one PEM block: the public key");
      }
      return key;
    } catch (IOException | RuntimeException e) {
      if (e instanceof ValidationException v) {
        throw v;
      }
      throw new ValidationException(field, "is not a readable public key: its PEM or DER encoding is damaged");
    }
  }
}
