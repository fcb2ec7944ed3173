package io.flotilla.ca;

import io.flotilla.core.error.ValidationException;
import java.io.IOException;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The device keys the platform certifies: ECDSA on P-256 or P-384, and RSA of 2048 to 8192 bits. Read from
 * the request's encoded key, so keys the JDK cannot even load are named in the refusal too.
 */
final class AcceptedKeys {
  static final int MIN_RSA_BITS = 2048;
  /** Larger RSA keys only cost verification time and buy nothing. */
  static final int MAX_RSA_BITS = 8192;
  private static final String ACCEPTED = "use EC P-256 or P-384, or RSA of " + MIN_RSA_BITS + " bits or more";
  private static final Map<ASN1ObjectIdentifier, String> CURVES = Map.of(
      SECObjectIdentifiers.secp256r1, "P-256",
      SECObjectIdentifiers.secp384r1, "P-384");
  private static final Map<ASN1ObjectIdentifier, String> OTHER_KEYS = Map.of(
      new ASN1ObjectIdentifier("1.3.101.112"), "Ed25519",
      new ASN1ObjectIdentifier("1.3.101.113"), "Ed448",
      X9ObjectIdentifiers.id_dsa, "DSA",
      PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS");

  private AcceptedKeys() {}

  /**
   * The key in words ({@code EC P-256}, {@code RSA 3072}).
   *
   * @throws ValidationException on {@code field} naming the key when it is not accepted
   */
  static String describe(String field, SubjectPublicKeyInfo key) {
    ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
    if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      return ec(field, key.getAlgorithm().getParameters());
    }
    if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      return rsa(field, key);
    }
    throw refused(field, OTHER_KEYS.getOrDefault(algorithm, "a key of algorithm " + algorithm.getId()));
  }

  private static String ec(String field, ASN1Encodable parameters) {
    if (!(parameters instanceof ASN1ObjectIdentifier curve)) {
      throw refused(field, "an EC key with explicit curve parameters");
    }
    String name = CURVES.get(curve);
    if (name == null) {
      String known = ECNamedCurveTable.getName(curve);
      throw refused(field, "an EC key on curve " + (known == null ? curve.getId() : known));
    }
    return "EC " + name;
  }

  private static String rsa(String field, SubjectPublicKeyInfo key) {
    int bits;
    try {
      bits = RSAPublicKey.getInstance(key.parsePublicKey()).getModulus().bitLength();
    } catch (IOException | IllegalArgumentException e) {
      throw new ValidationException(field, "the request's RSA public key is malformed");
    }
    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
      throw refused(field, "an RSA key of " + bits + " bits");
    }
    return "RSA " + bits;
  }

  private static ValidationException refused(String field, String key) {
    return new ValidationException(field, "the request's key is " + key + ", which is not accepted; " + ACCEPTED);
  }
}
