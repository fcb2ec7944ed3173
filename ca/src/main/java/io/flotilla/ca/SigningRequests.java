package io.flotilla.ca;

import io.flotilla.core.ca.CertificateRequest;
import io.flotilla.core.error.ValidationException;
import java.io.IOException;
import java.io.StringReader;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads PKCS#10 certificate signing requests and checks them: one request, an accepted key, a strong
 * signature algorithm, and a signature that verifies with the request's own public key. That signature is
 * the device's proof that it holds the private key; a request whose key was swapped, or whose content was
 * changed after signing, fails it.
 */
final class SigningRequests {
  private static final Set<ASN1ObjectIdentifier> STRONG_SIGNATURES = Set.of(
      X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
      X9ObjectIdentifiers.ecdsa_with_SHA512, PKCSObjectIdentifiers.sha256WithRSAEncryption,
      PKCSObjectIdentifiers.sha384WithRSAEncryption, PKCSObjectIdentifiers.sha512WithRSAEncryption,
      PKCSObjectIdentifiers.id_RSASSA_PSS);

  private SigningRequests() {}

  /** Checks the request; every refusal is a {@link ValidationException} on {@code field} saying why. */
  static CertificateRequest check(String field, String pem) {
    PKCS10CertificationRequest csr = parse(field, pem);
    String key = AcceptedKeys.describe(field, csr.getSubjectPublicKeyInfo());
    AlgorithmIdentifier signature = csr.getSignatureAlgorithm();
    if (!STRONG_SIGNATURES.contains(signature.getAlgorithm())) {
      throw new ValidationException(field, "the request is signed with " + name(signature)
          + ", which is not accepted; sign it with SHA-256 or stronger (openssl req -sha256)");
    }
    if (!signatureMatchesKey(field, csr, signature)) {
      throw new ValidationException(field, "the request's signature does not match its public key: it was "
          + "changed after it was signed, or signed with another key than the one it carries, so it does not prove "
          + "possession of the private key");
    }
    return new CertificateRequest(pem, key, csr.getSubject().toString());
  }

  /** The one request in the PEM text. */
  static PKCS10CertificationRequest parse(String field, String pem) {
    if (!pem.contains("-----BEGIN CERTIFICATE REQUEST-----") && !pem.contains("-----BEGIN NEW CERTIFICATE REQUEST-----")) {
      throw new ValidationException(field, "must be a certificate signing request in PEM, starting with "
          + "-----BEGIN CERTIFICATE REQUEST----- (openssl req -new …)");
    }
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object first = parser.readObject();
      if (!(first instanceof PKCS10CertificationRequest csr)) {
        throw new ValidationException(field, "holds no certificate signing request before its first other PEM block");
      }
      if (parser.readObject() != null) {
        throw new ValidationException(field, "must hold exactly one PEM block: the certificate signing request");
      }
      return csr;
    } catch (IOException | RuntimeException e) {
      if (e instanceof ValidationException v) {
        throw v;
      }
      throw new ValidationException(field, "is not a readable certificate signing request: its PEM or DER encoding "
          + "is damaged");
    }
  }

  private static boolean signatureMatchesKey(String field, PKCS10CertificationRequest csr, AlgorithmIdentifier alg) {
    try {
      return csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()));
    } catch (OperatorCreationException e) {
      throw new ValidationException(field, "the request's signature (" + name(alg) + ") cannot be verified by "
          + "this server");
    } catch (PKCSException e) {
      return false;
    }
  }

  private static String name(AlgorithmIdentifier algorithm) {
    return new DefaultAlgorithmNameFinder().getAlgorithmName(algorithm);
  }
}
