package io.flotilla.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.ca.CaKeyUnavailableException;
import io.flotilla.core.ca.CertificateRequest;
import io.flotilla.core.ca.CertificateTemplate;
import io.flotilla.core.ca.Crl;
import io.flotilla.core.ca.RevokedSerial;
import io.flotilla.core.ca.SignedCertificate;
import io.flotilla.core.ca.TenantCa;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.tenant.TenantId;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;

class BouncyCastleCertificateAuthorityTest {
  private static final TenantId ACME = new TenantId("acme");
  private static final Instant NOW = Instant.parse("2025-06-01T10:00:00.123Z");

  private final MasterKey masterKey = MasterKey.generate();
  private final BouncyCastleCertificateAuthority authority = new BouncyCastleCertificateAuthority(masterKey);
  private final TenantCa ca = authority.create(ACME, "ca_1", NOW);

  /** The tenant CA is self-signed, may sign end-entity certificates and CRLs only, and lasts ten years. */
  @Test
  void tenantCaIsAConstrainedSelfSignedCa() throws Exception {
    X509Certificate certificate = Pem.readCertificate(ca.certificatePem());

    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=Flotilla acme device CA");
    certificate.verify(certificate.getPublicKey());
    assertThat(certificate.getBasicConstraints()).isZero();
    assertThat(certificate.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
    assertThat(certificate.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId(),
        Extension.keyUsage.getId());
    assertThat(Duration.between(ca.notBefore(), ca.notAfter()).toDays()).isGreaterThanOrEqualTo(3652);
    assertThat(ca.notBefore()).isBefore(NOW);
    assertThat(ca.key().masterKeyId()).isEqualTo(masterKey.id());
  }

  /** The CA's private key is only in the sealed form: neither PEM nor its encoding appears, and it opens to the CA's key. */
  @Test
  void caKeyIsStoredSealedOnly() throws Exception {
    byte[] pkcs8 = new KeyEnvelope(masterKey).open(ca.key(), "tenant-ca/acme/ca_1");
    java.security.interfaces.ECPrivateKey key = (java.security.interfaces.ECPrivateKey) KeyPairs.ecPrivateKey(pkcs8);
    X509Certificate certificate = Pem.readCertificate(ca.certificatePem());
    java.security.Signature signature = java.security.Signature.getInstance("SHA256withECDSA");
    signature.initSign(key);
    signature.update(new byte[] {1, 2, 3});
    byte[] signed = signature.sign();
    signature.initVerify(certificate.getPublicKey());
    signature.update(new byte[] {1, 2, 3});
    assertThat(signature.verify(signed)).as("the sealed key belongs to the CA certificate").isTrue();

    String stored = ca.toString() + ca.certificatePem() + ca.key().ciphertext();
    assertThat(stored).doesNotContain("PRIVATE KEY")
        .doesNotContain(Base64.getEncoder().encodeToString(pkcs8).substring(0, 40))
        .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(pkcs8).substring(0, 40))
        .doesNotContainIgnoringCase(key.getS().toString(16));
  }

  /**
   * A certificate issued from a device's CSR chains to the tenant CA for client authentication, carries the
   * device's key, and has the subject and validity of the template, not those the CSR asked for.
   */
  @Test
  void issuedCertificateChainsToTheCaWithThePolicySubject() throws Exception {
    KeyPair device = TestCsrs.ec("secp256r1");
    CertificateRequest request = authority.check("csrPem", TestCsrs.csr(device, "CN=admin, O=Evil", "SHA256withECDSA"));
    Instant notAfter = NOW.plus(Duration.ofDays(365));

    SignedCertificate signed = authority.sign(ca, request,
        new CertificateTemplate("pump-1", NOW.minusSeconds(300), notAfter));

    X509Certificate certificate = Pem.readCertificate(signed.pem());
    X509Certificate caCertificate = Pem.readCertificate(ca.certificatePem());
    assertThat(request.keyDescription()).isEqualTo("EC P-256");
    assertThat(request.requestedSubject()).contains("CN=admin");
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=pump-1");
    assertThat(certificate.getPublicKey()).isEqualTo(device.getPublic());
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(certificate.getSerialNumber().bitLength()).isBetween(100, 128);
    assertThat(signed.serial()).isEqualTo(Serials.hex(certificate.getSerialNumber())).matches("([0-9A-F]{2})+");
    assertThat(signed.notAfter()).isEqualTo(notAfter.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
        .isEqualTo(certificate.getNotAfter().toInstant());
    assertThat(signed.notBefore()).isEqualTo(Instant.parse("2025-06-01T09:55:00Z"));

    PKIXParameters pkix = new PKIXParameters(Set.of(new TrustAnchor(caCertificate, null)));
    pkix.setRevocationEnabled(false);
    pkix.setDate(Date.from(NOW));
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)), pkix);
  }

  /** Two certificates never share a serial. */
  @Test
  void serialsAreRandom() throws Exception {
    CertificateRequest request = authority.check("csrPem", TestCsrs.csr(TestCsrs.ec("secp256r1"), "CN=x",
        "SHA256withECDSA"));
    CertificateTemplate template = new CertificateTemplate("pump-1", NOW, NOW.plusSeconds(3600));

    assertThat(authority.sign(ca, request, template).serial()).isNotEqualTo(authority.sign(ca, request, template).serial());
  }

  /** A CSR whose public key was swapped after signing is refused: its signature proves nothing about that key. */
  @Test
  void forgedCsrWithSwappedKeyIsRefused() throws Exception {
    String forged = TestCsrs.withSwappedKey(TestCsrs.ec("secp256r1"), TestCsrs.ec("secp256r1"));

    assertThatThrownBy(() -> authority.check("csrPem", forged)).isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).errors().get(0).field()).isEqualTo("csrPem"))
        .hasMessageContaining("signature does not match its public key");
  }

  /** RSA below 2048 bits, Ed25519 and SHA-1 signatures are refused, naming what was offered. */
  @Test
  void weakOrUnsupportedKeysAreRefusedByName() throws Exception {
    assertThatThrownBy(() -> authority.check("csrPem", TestCsrs.csr(TestCsrs.rsa(1024), "CN=x", "SHA256withRSA")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("an RSA key of 1024 bits, which is not accepted")
        .hasMessageContaining("EC P-256");
    assertThatThrownBy(() -> authority.check("csrPem", TestCsrs.csr(TestCsrs.ed25519(), "CN=x", "Ed25519")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("Ed25519");
    assertThatThrownBy(() -> authority.check("csrPem", TestCsrs.csr(TestCsrs.rsa(2048), "CN=x", "SHA1withRSA")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("SHA1").hasMessageContaining("SHA-256");
  }

  /** EC P-256 and P-384 and RSA of 2048 bits or more are accepted. */
  @Test
  void acceptedKeysAreDescribed() throws Exception {
    assertThat(authority.check("csrPem", TestCsrs.csr(TestCsrs.ec("secp384r1"), "CN=x", "SHA384withECDSA"))
        .keyDescription()).isEqualTo("EC P-384");
    assertThat(authority.check("csrPem", TestCsrs.csr(TestCsrs.rsa(2048), "CN=x", "SHA256withRSA"))
        .keyDescription()).isEqualTo("RSA 2048");
  }

  /** Text that is not exactly one PEM request is refused with what was expected. */
  @Test
  void malformedRequestsAreRefused() throws Exception {
    String csr = TestCsrs.csr(TestCsrs.ec("secp256r1"), "CN=x", "SHA256withECDSA");

    assertThatThrownBy(() -> authority.check("csrPem", "hello")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("-----BEGIN CERTIFICATE REQUEST-----");
    assertThatThrownBy(() -> authority.check("csrPem", csr + csr)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("exactly one");
    assertThatThrownBy(() -> authority.check("csrPem", csr.replace("\n-----END", "AAAA\n-----END")))
        .isInstanceOf(ValidationException.class);
  }

  /** The CRL is signed by the CA and lists the revoked serials with their times and the CRL number. */
  @Test
  void crlListsRevokedSerials() throws Exception {
    Instant revokedAt = NOW.minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Crl crl = authority.crl(ca, List.of(new RevokedSerial("0A1B2C", revokedAt), new RevokedSerial("FF00", revokedAt)),
        7, NOW, NOW.plus(Duration.ofHours(24)));

    X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(crl.der()));
    parsed.verify(Pem.readCertificate(ca.certificatePem()).getPublicKey());
    assertThat(parsed.getIssuerX500Principal().getName()).isEqualTo("CN=Flotilla acme device CA");
    assertThat(parsed.getRevokedCertificates()).extracting(e -> e.getSerialNumber())
        .containsExactlyInAnyOrder(new BigInteger("0A1B2C", 16), new BigInteger("FF00", 16));
    assertThat(parsed.getRevokedCertificate(new BigInteger("0A1B2C", 16)).getRevocationDate().toInstant())
        .isEqualTo(revokedAt);
    byte[] number = ASN1OctetString.getInstance(parsed.getExtensionValue(Extension.cRLNumber.getId())).getOctets();
    assertThat(ASN1Integer.getInstance(number).getValue()).isEqualTo(BigInteger.valueOf(7));
    assertThat(parsed.getNextUpdate().toInstant()).isEqualTo(Instant.parse("2025-06-02T10:00:00Z"));
    assertThat(crl.pem()).startsWith("-----BEGIN X509 CRL-----");
  }

  /** A server with another master key cannot sign with the CA, and says so instead of producing garbage. */
  @Test
  void anotherMasterKeyCannotSign() throws Exception {
    BouncyCastleCertificateAuthority other = new BouncyCastleCertificateAuthority(MasterKey.generate());
    CertificateRequest request = other.check("csrPem", TestCsrs.csr(TestCsrs.ec("secp256r1"), "CN=x",
        "SHA256withECDSA"));

    assertThatThrownBy(() -> other.sign(ca, request, new CertificateTemplate("pump-1", NOW, NOW.plusSeconds(60))))
        .isInstanceOf(CaKeyUnavailableException.class).hasMessageContaining(masterKey.id())
        .hasMessageContaining("tenant-ca/acme/ca_1");
    assertThatThrownBy(() -> other.crl(ca, List.of(), 1, NOW, NOW.plusSeconds(60)))
        .isInstanceOf(CaKeyUnavailableException.class);
  }

  /**
   * A bare public key (a manifest vouches for it) is certified as it is, with the same key rules as CSRs; a CSR,
   * a weak key or a damaged PEM in its place is refused naming the field.
   */
  @Test
  void certifiesBarePublicKeysOfAcceptedTypes() throws Exception {
    KeyPair device = TestCsrs.ec("secp256r1");
    String pem = Pem.encode("PUBLIC KEY", device.getPublic().getEncoded());
    CertificateRequest request = authority.checkPublicKey("publicKeyPem", pem);
    assertThat(request.proofOfPossession()).isFalse();
    assertThat(request.keyDescription()).isEqualTo("EC P-256");

    SignedCertificate signed = authority.sign(ca, request, new CertificateTemplate("pump-9", NOW, NOW.plus(
        Duration.ofDays(30))));
    X509Certificate certificate = Pem.readCertificate(signed.pem());
    assertThat(certificate.getPublicKey()).isEqualTo(device.getPublic());
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=pump-9");
    certificate.verify(Pem.readCertificate(ca.certificatePem()).getPublicKey());

    assertThatThrownBy(() -> authority.checkPublicKey("publicKeyPem",
        Pem.encode("PUBLIC KEY", TestCsrs.rsa(1024).getPublic().getEncoded())))
        .isInstanceOf(ValidationException.class).hasMessageContaining("RSA key of 1024 bits");
    assertThatThrownBy(() -> authority.checkPublicKey("publicKeyPem", TestCsrs.csr(device, "CN=x", "SHA256withECDSA")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("BEGIN PUBLIC KEY");
    assertThatThrownBy(() -> authority.checkPublicKey("publicKeyPem",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("not a readable public key");
  }
}
