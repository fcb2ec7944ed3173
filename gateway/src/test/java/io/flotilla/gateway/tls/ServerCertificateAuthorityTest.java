package io.flotilla.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ServerCertificateAuthorityTest {
  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  private static final ServerNames NAMES = ServerNames.forServer(List.of(), Optional.of("gateway-host"));

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);

  /** The first start makes the CA and a server certificate it signed, with keys readable by the owner only. */
  @Test
  @Timeout(30)
  void firstStartCreatesCaAndServerCertificateWithPrivateKeys() throws Exception {
    ServerIdentity identity = ServerCertificateAuthority.inDataDir(dataDir, clock).ensure(NAMES);

    Path tls = dataDir.resolve("tls");
    assertThat(tls.resolve("ca.pem")).exists();
    assertThat(tls.resolve("server.pem")).exists();
    assertThat(Files.getPosixFilePermissions(tls.resolve("ca.key"))).isEqualTo(PemFiles.OWNER_ONLY);
    assertThat(Files.getPosixFilePermissions(tls.resolve("server.key"))).isEqualTo(PemFiles.OWNER_ONLY);
    assertThat(Files.readString(tls.resolve("ca.key"))).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Files.readString(tls.resolve("server.key"))).startsWith("-----BEGIN PRIVATE KEY-----\n");

    X509Certificate ca = PemFiles.readCertificates(tls.resolve("ca.pem")).get(0);
    assertThat(ca.getSubjectX500Principal().getName()).matches("CN=Flotilla server CA [0-9a-f]{8}");
    assertThat(ca.getBasicConstraints()).isZero();
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(ca.getKeyUsage()[6]).as("cRLSign").isTrue();
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(ca.getNotAfter().toInstant()).isAfter(START.plus(Duration.ofDays(3650)));

    List<X509Certificate> chain = PemFiles.readCertificates(tls.resolve("server.pem"));
    assertThat(chain).hasSize(2).containsExactlyElementsOf(identity.chain());
    assertThat(chain.get(1)).isEqualTo(ca);
    X509Certificate server = chain.get(0);
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(server.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(2, "gateway-host"), List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
    assertThat(Duration.between(START, server.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(397));
    assertThat(identity.builtInCa()).contains(ca);
    assertValidatesAgainst(ca, server);
  }

  /** A second start changes nothing: the same CA and the same server certificate and key. */
  @Test
  @Timeout(30)
  void secondStartReusesTheCaAndServerCertificate() throws Exception {
    ServerIdentity first = ServerCertificateAuthority.inDataDir(dataDir, clock).ensure(NAMES);
    List<byte[]> files = tlsFiles();
    clock.advance(Duration.ofDays(100));

    ServerIdentity second = ServerCertificateAuthority.inDataDir(dataDir, clock).ensure(NAMES);

    assertThat(second.chain()).isEqualTo(first.chain());
    assertThat(second.privateKey()).isEqualTo(first.privateKey());
    assertThat(tlsFiles()).containsExactlyElementsOf(files);
  }

  /** Other names get a new server certificate with those names, signed by the same CA. */
  @Test
  @Timeout(30)
  void changedNamesReissueTheServerCertificateButKeepTheCa() throws Exception {
    ServerIdentity first = ServerCertificateAuthority.inDataDir(dataDir, clock).ensure(NAMES);
    byte[] caPem = Files.readAllBytes(dataDir.resolve("tls/ca.pem"));
    byte[] caKey = Files.readAllBytes(dataDir.resolve("tls/ca.key"));

    ServerNames more = ServerNames.forServer(List.of("MQTT.example.com", "10.1.2.3"), Optional.of("gateway-host"));
    ServerIdentity second = ServerCertificateAuthority.inDataDir(dataDir, clock).ensure(more);

    assertThat(second.certificate()).isNotEqualTo(first.certificate());
    assertThat(second.privateKey()).isNotEqualTo(first.privateKey());
    assertThat(ServerNames.of(second.certificate())).isEqualTo(more);
    assertThat(ServerNames.of(second.certificate()).all()).contains("mqtt.example.com", "10.1.2.3");
    assertThat(Files.readAllBytes(dataDir.resolve("tls/ca.pem"))).isEqualTo(caPem);
    assertThat(Files.readAllBytes(dataDir.resolve("tls/ca.key"))).isEqualTo(caKey);
    assertThat(PemFiles.readCertificates(dataDir.resolve("tls/server.pem")).get(0)).isEqualTo(second.certificate());
    assertValidatesAgainst(first.builtInCa().orElseThrow(), second.certificate());
  }

  /** A server certificate that expires within 30 days is replaced; one further from its end is kept. */
  @Test
  @Timeout(30)
  void serverCertificateNearItsExpiryIsReissued() throws Exception {
    ServerCertificateAuthority ca = ServerCertificateAuthority.inDataDir(dataDir, clock);
    ServerIdentity first = ca.ensure(NAMES);

    clock.advance(Duration.ofDays(366));
    assertThat(ca.ensure(NAMES).certificate()).as("31 days before expiry").isEqualTo(first.certificate());

    clock.advance(Duration.ofDays(2));
    ServerIdentity renewed = ca.ensure(NAMES);
    assertThat(renewed.certificate()).isNotEqualTo(first.certificate());
    assertThat(renewed.certificate().getNotAfter().toInstant()).isEqualTo(clock.instant().plus(Duration.ofDays(397)));
    assertThat(renewed.builtInCa()).isEqualTo(first.builtInCa());
    assertValidatesAgainst(first.builtInCa().orElseThrow(), renewed.certificate());
  }

  /** A server key that does not match its certificate (a crash between the two writes) is repaired. */
  @Test
  @Timeout(30)
  void serverKeyThatDoesNotMatchItsCertificateIsReplaced() throws Exception {
    ServerCertificateAuthority ca = ServerCertificateAuthority.inDataDir(dataDir, clock);
    ServerIdentity first = ca.ensure(NAMES);
    PemFiles.writePrivateKey(dataDir.resolve("tls/server.key"), io.flotilla.ca.KeyPairs.newP256().getPrivate());

    ServerIdentity repaired = ca.ensure(NAMES);

    assertThat(repaired.certificate()).isNotEqualTo(first.certificate());
    assertThat(ServerIdentity.keyMatches(PemFiles.readPrivateKey(dataDir.resolve("tls/server.key")),
        PemFiles.readCertificates(dataDir.resolve("tls/server.pem")).get(0).getPublicKey())).isTrue();
  }

  /** Without the CA's key the server refuses to start rather than silently replacing the CA devices trust. */
  @Test
  @Timeout(30)
  void missingCaKeyIsAClearErrorNotANewCa() throws Exception {
    ServerCertificateAuthority.inDataDir(dataDir, clock).ensure(NAMES);
    Files.delete(dataDir.resolve("tls/ca.key"));

    assertThatThrownBy(() -> ServerCertificateAuthority.inDataDir(dataDir, clock).ensure(NAMES))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("ca.key is missing")
        .hasMessageContaining("restore the key from a backup");
  }

  /** The identity's text form, as logs would show it, carries no key material. */
  @Test
  @Timeout(30)
  void identityToStringLeavesTheKeyOut() {
    ServerIdentity identity = ServerCertificateAuthority.inDataDir(dataDir, clock).ensure(NAMES);

    assertThat(identity.toString()).contains("gateway-host").doesNotContainIgnoringCase("key")
        .doesNotContain(identity.privateKey().toString());
  }

  private List<byte[]> tlsFiles() throws Exception {
    return List.of(Files.readAllBytes(dataDir.resolve("tls/ca.pem")), Files.readAllBytes(dataDir.resolve("tls/ca.key")),
        Files.readAllBytes(dataDir.resolve("tls/server.pem")), Files.readAllBytes(dataDir.resolve("tls/server.key")));
  }

  private void assertValidatesAgainst(X509Certificate ca, X509Certificate server) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(clock.instant()));
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(List.of(server)), parameters);
  }
}
