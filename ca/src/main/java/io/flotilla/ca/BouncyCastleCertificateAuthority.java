package io.flotilla.ca;

import io.flotilla.core.ca.CertificateAuthority;
import io.flotilla.core.ca.CertificateRequest;
import io.flotilla.core.ca.CertificateTemplate;
import io.flotilla.core.ca.Crl;
import io.flotilla.core.ca.RevokedSerial;
import io.flotilla.core.ca.SignedCertificate;
import io.flotilla.core.ca.TenantCa;
import io.flotilla.core.tenant.TenantId;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

/**
 * The tenant CAs on Bouncy Castle. A CA's key is ECDSA P-256; its certificate is valid for ten years, its
 * common name {@code Flotilla <tenant> device CA}. The key is sealed with the master key as soon as it is
 * made and opened only for the one signature that needs it.
 */
public final class BouncyCastleCertificateAuthority implements CertificateAuthority {
  static final Duration CA_VALIDITY = Duration.ofDays(3653);
  /** The CA starts a little in the past, so that devices with slightly slow clocks accept its certificates. */
  static final Duration CA_BACKDATE = Duration.ofHours(1);

  private final MasterKey masterKey;
  private final KeyEnvelope envelope;

  public BouncyCastleCertificateAuthority(MasterKey masterKey) {
    this.masterKey = masterKey;
    this.envelope = new KeyEnvelope(masterKey);
  }

  @Override
  public String masterKeyId() {
    return masterKey.id();
  }

  @Override
  public TenantCa create(TenantId tenant, String id, Instant now) {
    Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS).minus(CA_BACKDATE);
    Instant notAfter = notBefore.plus(CA_VALIDITY);
    KeyPair keys = KeyPairs.newP256();
    X509Certificate certificate = CaCertificates.selfSigned(keys, "Flotilla " + tenant + " device CA", notBefore,
        notAfter);
    byte[] pkcs8 = keys.getPrivate().getEncoded();
    try {
      return new TenantCa(tenant, id, Pem.certificate(certificate), envelope.seal(pkcs8, context(tenant, id)),
          notBefore, notAfter, now);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  @Override
  public CertificateRequest check(String field, String csrPem) {
    return SigningRequests.check(field, csrPem);
  }

  @Override
  public CertificateRequest checkPublicKey(String field, String publicKeyPem) {
    return PublicKeys.check(field, publicKeyPem);
  }

  @Override
  public SignedCertificate sign(TenantCa ca, CertificateRequest request, CertificateTemplate template) {
    BigInteger serial = Serials.random();
    X509Certificate certificate = DeviceCertificates.issue(Pem.readCertificate(ca.certificatePem()), privateKey(ca),
        request.proofOfPossession() ? SigningRequests.parse("csrPem", request.pem()).getSubjectPublicKeyInfo()
            : PublicKeys.parse("publicKeyPem", request.pem()), seconds(template), serial);
    return new SignedCertificate(Pem.certificate(certificate), Serials.hex(serial),
        certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
  }

  @Override
  public Crl crl(TenantCa ca, List<RevokedSerial> revoked, long number, Instant thisUpdate, Instant nextUpdate) {
    Instant from = thisUpdate.truncatedTo(ChronoUnit.SECONDS);
    Instant until = nextUpdate.truncatedTo(ChronoUnit.SECONDS);
    byte[] der = Crls.sign(Pem.readCertificate(ca.certificatePem()), privateKey(ca), revoked, number, from, until);
    return new Crl(number, from, until, Pem.encode("X509 CRL", der));
  }

  /** X.509 keeps whole seconds; the certificate and what the registry records must agree. */
  private static CertificateTemplate seconds(CertificateTemplate template) {
    return new CertificateTemplate(template.commonName(), template.notBefore().truncatedTo(ChronoUnit.SECONDS),
        template.notAfter().truncatedTo(ChronoUnit.SECONDS));
  }

  private PrivateKey privateKey(TenantCa ca) {
    byte[] pkcs8 = envelope.open(ca.key(), context(ca.tenant(), ca.id()));
    try {
      return KeyPairs.ecPrivateKey(pkcs8);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /** What a sealed key is bound to: the CA of one tenant. */
  private static String context(TenantId tenant, String caId) {
    return "tenant-ca/" + tenant + "/" + caId;
  }
}
