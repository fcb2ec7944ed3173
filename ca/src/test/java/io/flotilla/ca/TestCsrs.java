package io.flotilla.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Keys and certificate signing requests as devices make them, and forged ones as attackers would. */
final class TestCsrs {
  private TestCsrs() {}

  static KeyPair ec(String curve) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  static KeyPair rsa(int bits) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits);
    return generator.generateKeyPair();
  }

  static KeyPair ed25519() throws GeneralSecurityException {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  /** A CSR for {@code keys} asking for {@code subject}, signed with {@code signature}. */
  static String csr(KeyPair keys, String subject, String signature) throws OperatorCreationException {
    return pem(new JcaPKCS10CertificationRequestBuilder(new X500Principal(subject), keys.getPublic())
        .build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
  }

  /**
   * A request signed by {@code signer} whose public key was then swapped for {@code claimed}'s: the
   * signature no longer matches the key it carries, so it proves nothing about holding that key.
   */
  static String withSwappedKey(KeyPair signer, KeyPair claimed) throws OperatorCreationException {
    CertificationRequest genuine = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=victim"),
        signer.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()))
        .toASN1Structure();
    CertificationRequestInfo info = genuine.getCertificationRequestInfo();
    CertificationRequestInfo swapped = new CertificationRequestInfo(info.getSubject(),
        SubjectPublicKeyInfo.getInstance(claimed.getPublic().getEncoded()), info.getAttributes());
    return pem(new PKCS10CertificationRequest(new CertificationRequest(swapped, genuine.getSignatureAlgorithm(),
        genuine.getSignature())));
  }

  private static String pem(PKCS10CertificationRequest csr) {
    try {
      return Pem.encode("CERTIFICATE REQUEST", csr.getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
