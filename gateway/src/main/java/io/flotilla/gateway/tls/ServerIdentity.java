package io.flotilla.gateway.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the TLS listeners present: the server's certificate chain (its own certificate first) and the
 * matching private key, plus the built-in CA's certificate when the built-in CA issued it.
 *
 * <p>{@link #toString()} leaves the key out.
 *
 * @param chain the server certificate, then the certificates that issued it
 * @param privateKey the key of the first certificate in the chain
 * @param builtInCa the CA devices trust to reach this server, when the server issued its own certificate;
 *     empty with an operator's certificate
 */
public record ServerIdentity(List<X509Certificate> chain, PrivateKey privateKey, Optional<X509Certificate> builtInCa) {

  public ServerIdentity {
    chain = List.copyOf(chain);
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(builtInCa, "builtInCa");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("the chain holds no certificate");
    }
    if (!keyMatches(privateKey, chain.get(0).getPublicKey())) {
      throw new IllegalArgumentException("the private key does not belong to the certificate "
          + chain.get(0).getSubjectX500Principal());
    }
  }

  /** Reads an operator's chain and key, checking that they belong together. */
  public static ServerIdentity fromFiles(Path chainFile, Path keyFile) {
    List<X509Certificate> chain = PemFiles.readCertificates(chainFile);
    PrivateKey key = PemFiles.readPrivateKey(keyFile);
    try {
      return new ServerIdentity(chain, key, Optional.empty());
    } catch (IllegalArgumentException e) {
      throw new TlsSetupException("The private key in " + keyFile + " does not belong to the first certificate in "
          + chainFile + " (" + chain.get(0).getSubjectX500Principal() + "); the chain file must start with the "
          + "server's own certificate");
    }
  }

  /** The server's own certificate. */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  @Override
  public String toString() {
    return "ServerIdentity[subject=" + certificate().getSubjectX500Principal() + ", names="
        + ServerNames.of(certificate()).all() + ", notAfter=" + certificate().getNotAfter().toInstant()
        + ", chainLength=" + chain.size() + ", builtInCa=" + builtInCa.isPresent() + "]";
  }

  /** Proves that the key belongs to the public key by signing a random challenge with it. */
  static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey) {
    if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm = switch (privateKey.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "Ed448", "EdDSA" -> privateKey.getAlgorithm();
      default -> "";
    };
    if (algorithm.isEmpty()) {
      return true; // an algorithm we cannot check here; the TLS handshake will fail loudly if they differ
    }
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
