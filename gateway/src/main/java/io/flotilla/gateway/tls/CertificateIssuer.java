package io.flotilla.gateway.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the built-in CA's certificate and the server certificates it signs, with Bouncy Castle's
 * certificate builder over the JDK's own crypto providers (no provider is registered globally).
 */
final class CertificateIssuer {
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private CertificateIssuer() {}

  /** A fresh ECDSA key pair on P-256. */
  static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java runtime cannot make P-256 keys", e);
    }
  }

  /** A self-signed CA that may sign end-entity certificates only (path length 0). */
  static X509Certificate selfSignedCa(KeyPair ca, String commonName, Instant notBefore, Instant notAfter) {
    X500Name subject = name(commonName);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(notBefore),
          Date.from(notAfter), subject, ca.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
      return sign(builder, ca.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the CA certificate", e);
    }
  }

  /** A TLS server certificate for {@code names}, signed by the CA. */
  static X509Certificate serverCertificate(X509Certificate ca, PrivateKey caKey, PublicKey server, ServerNames names,
      Instant notBefore, Instant notAfter) {
    String commonName = names.dnsNames().stream().filter(n -> !n.equals("localhost") && !n.startsWith("*"))
        .findFirst().orElse("localhost");
    GeneralName[] sans = Stream.concat(
        names.dnsNames().stream().map(n -> new GeneralName(GeneralName.dNSName, n)),
        names.ipAddresses().stream().map(ip -> new GeneralName(GeneralName.iPAddress, ip)))
        .toArray(GeneralName[]::new);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(notBefore),
          Date.from(notAfter), name(commonName), server)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(server))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
      return sign(builder, caKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the server certificate", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE)
          .build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign with " + SIGNATURE, e);
    }
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  /** A positive serial of up to 160 bits, as RFC 5280 allows, random so that it is unique. */
  private static BigInteger serial() {
    return new BigInteger(159, RANDOM).add(BigInteger.ONE);
  }
}
