package io.flotilla.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.ca.CertificateChecks;
import io.flotilla.core.ca.ProvisioningTemplate.IdSource;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.junit.jupiter.api.Test;

/**
 * The checks on certificates from tenants' own CAs (core's {@link CertificateChecks}), against certificates
 * Bouncy Castle makes: CA eligibility, chains, validity, device ids from the common name or a SAN.
 */
class CertificateChecksTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  private final KeyPair caKey = KeyPairs.newP256();
  private final X509Certificate ca = CaCertificates.selfSigned(caKey, "Acme Device CA", NOW.minusSeconds(3600),
      NOW.plus(Duration.ofDays(365)));

  /** A certificate the CA signed chains to it; one from another CA with the very same name does not. */
  @Test
  void certificateSignedByAnotherCaWithTheSameNameDoesNotChain() throws Exception {
    X509Certificate device = leaf(caKey, "CN=Acme Device CA", "CN=meter-1,O=Acme", null, NOW);
    KeyPair impostorKey = KeyPairs.newP256();
    X509Certificate impostor = CaCertificates.selfSigned(impostorKey, "Acme Device CA", NOW.minusSeconds(60),
        NOW.plus(Duration.ofDays(1)));
    X509Certificate forged = leaf(impostorKey, "CN=Acme Device CA", "CN=meter-1", null, NOW);

    assertThat(CertificateChecks.signedBy(device, ca)).isTrue();
    assertThat(CertificateChecks.signedBy(forged, ca)).isFalse();
    assertThat(CertificateChecks.signedBy(device, impostor)).isFalse();
    assertThat(CertificateChecks.issuer(forged)).isEqualTo(CertificateChecks.subject(ca));
    assertThat(CertificateChecks.keyFingerprint(impostor)).isNotEqualTo(CertificateChecks.keyFingerprint(ca));
  }

  /** A CA certificate must be a CA (basicConstraints) that may sign certificates (keyCertSign) and be valid. */
  @Test
  void onlyValidCaCertificatesMayBeRegistered() throws Exception {
    assertThat(CertificateChecks.caProblem(ca, NOW)).isEmpty();
    X509Certificate device = leaf(caKey, "CN=Acme Device CA", "CN=meter-1", null, NOW);
    assertThat(CertificateChecks.caProblem(device, NOW)).get().asString().contains("basicConstraints");
    assertThat(CertificateChecks.caProblem(ca, NOW.plus(Duration.ofDays(400)))).get().asString().contains("expired");
    assertThat(CertificateChecks.caProblem(ca, NOW.minus(Duration.ofDays(1)))).get().asString()
        .contains("not valid before");

    X509v3CertificateBuilder noSigning = builder(caKey, "CN=Signs nothing", "CN=Signs nothing", NOW)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    assertThat(CertificateChecks.caProblem(X509Signing.sign(noSigning, caKey.getPrivate()), NOW)).get().asString()
        .contains("keyCertSign");
  }

  /** The id comes from the most specific common name, or the first DNS or URI SAN, and must be a valid id. */
  @Test
  void deviceIdIsReadWhereTheTemplateSays() throws Exception {
    GeneralNames sans = new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "meter-7.acme"),
        new GeneralName(GeneralName.uniformResourceIdentifier, "urn:acme:meter-7"),
        new GeneralName(GeneralName.dNSName, "second.acme")});
    X509Certificate device = leaf(caKey, "CN=Acme Device CA", "O=Acme,CN=meter-7", sans, NOW);

    assertThat(CertificateChecks.deviceId(device, IdSource.CN).id()).contains("meter-7");
    assertThat(CertificateChecks.deviceId(device, IdSource.SAN_DNS).id()).contains("meter-7.acme");
    assertThat(CertificateChecks.deviceId(device, IdSource.SAN_URI).id()).contains("urn:acme:meter-7");

    X509Certificate bad = leaf(caKey, "CN=Acme Device CA", "CN=meter 7/../x", null, NOW);
    assertThat(CertificateChecks.deviceId(bad, IdSource.CN).id()).isEmpty();
    assertThat(CertificateChecks.deviceId(bad, IdSource.CN).problem()).contains("not a valid device id");
    assertThat(CertificateChecks.deviceId(bad, IdSource.SAN_DNS).problem()).contains("no DNS subject alternative name");
    X509Certificate spiffe = leaf(caKey, "CN=Acme Device CA", "CN=x", new GeneralNames(
        new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://acme/meter")), NOW);
    assertThat(CertificateChecks.deviceId(spiffe, IdSource.SAN_URI).problem()).contains("spiffe://acme/meter");
  }

  /** A device certificate outside its validity is named as such. */
  @Test
  void expiredCertificatesAreNamed() throws Exception {
    X509Certificate device = leaf(caKey, "CN=Acme Device CA", "CN=meter-1", null, NOW);
    assertThat(CertificateChecks.validityProblem(device, NOW)).isEmpty();
    assertThat(CertificateChecks.validityProblem(device, NOW.plus(Duration.ofDays(31)))).get().asString()
        .contains("expired");
  }

  private static X509Certificate leaf(KeyPair issuerKey, String issuer, String subject, GeneralNames sans,
      Instant now) throws Exception {
    X509v3CertificateBuilder b = builder(issuerKey, issuer, subject, now);
    if (sans != null) {
      b.addExtension(Extension.subjectAlternativeName, false, sans);
    }
    return X509Signing.sign(b, issuerKey.getPrivate());
  }

  private static X509v3CertificateBuilder builder(KeyPair issuerKey, String issuer, String subject, Instant now) {
    KeyPair subjectKey = KeyPairs.newP256();
    return new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(30))), new X500Name(subject),
        subjectKey.getPublic());
  }
}
