package io.flotilla.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {
  @TempDir Path dataDir;
  @TempDir Path operatorDir;
  private final MutableClock clock = new MutableClock(Instant.now());

  /** Without configured files, TLS comes up with the built-in CA, whose certificate is offered for download. */
  @Test
  @Timeout(30)
  void withoutFilesTheBuiltInCaIsUsedAndItsCertificateServed() throws Exception {
    ServerTls tls = ServerTls.open(dataDir, TlsSettings.defaults(), clock);

    assertThat(tls.sslContext().isServer()).isTrue();
    assertThat(tls.caCertificatePem()).contains(Files.readString(dataDir.resolve("tls/ca.pem")));
    assertThat(ServerNames.of(tls.identity().certificate()).all()).contains("localhost", "127.0.0.1", "::1");
    ServerNames.localHostName().ifPresent(host ->
        assertThat(ServerNames.of(tls.identity().certificate()).dnsNames()).contains(host.toLowerCase()));
  }

  /** The operator's chain and key are served as given, and nothing is created in the data folder. */
  @Test
  @Timeout(30)
  void operatorFilesAreUsedAsGivenAndNothingIsCreated() throws Exception {
    Openssl.ok(operatorDir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
        "-subj", "/CN=mqtt.example.com", "-days", "30", "-addext", "subjectAltName=DNS:mqtt.example.com");
    TlsSettings settings = TlsSettings.defaults()
        .withOperatorCertificate(operatorDir.resolve("cert.pem"), operatorDir.resolve("key.pem"));

    ServerTls tls = ServerTls.open(dataDir, settings, clock);

    assertThat(tls.identity().chain()).isEqualTo(PemFiles.readCertificates(operatorDir.resolve("cert.pem")));
    assertThat(tls.identity().privateKey()).isEqualTo(PemFiles.readPrivateKey(operatorDir.resolve("key.pem")));
    assertThat(tls.caCertificatePem()).isEmpty();
    assertThat(dataDir.resolve("tls")).doesNotExist();
  }

  /** Keys in the traditional forms openssl and older tools write (SEC1 EC, PKCS#1 RSA) are read too. */
  @Test
  @Timeout(30)
  void operatorKeysInTraditionalFormsAreRead() throws Exception {
    Openssl.ok(operatorDir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
    Openssl.ok(operatorDir, "req", "-x509", "-new", "-key", "ec.key", "-out", "ec.pem", "-subj", "/CN=ec", "-days", "9");
    Openssl.ok(operatorDir, "genrsa", "-traditional", "-out", "rsa.key", "2048");
    Openssl.ok(operatorDir, "req", "-x509", "-new", "-key", "rsa.key", "-out", "rsa.pem", "-subj", "/CN=rsa", "-days", "9");
    assertThat(Files.readString(operatorDir.resolve("ec.key"))).startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertThat(Files.readString(operatorDir.resolve("rsa.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    assertThat(ServerIdentity.fromFiles(operatorDir.resolve("ec.pem"), operatorDir.resolve("ec.key"))
        .certificate().getSubjectX500Principal().getName()).isEqualTo("CN=ec");
    assertThat(ServerIdentity.fromFiles(operatorDir.resolve("rsa.pem"), operatorDir.resolve("rsa.key"))
        .certificate().getSubjectX500Principal().getName()).isEqualTo("CN=rsa");
  }

  /** A key that is not the certificate's is refused with both file names, before any device connects. */
  @Test
  @Timeout(30)
  void operatorKeyOfAnotherCertificateIsAClearError() throws Exception {
    Openssl.ok(operatorDir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "a.key", "-out", "a.pem", "-subj", "/CN=a", "-days", "9");
    Openssl.ok(operatorDir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "b.key");
    TlsSettings settings = TlsSettings.defaults()
        .withOperatorCertificate(operatorDir.resolve("a.pem"), operatorDir.resolve("b.key"));

    assertThatThrownBy(() -> ServerTls.open(dataDir, settings, clock))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("b.key does not belong to the first certificate in")
        .hasMessageContaining("a.pem");
  }

  /** An encrypted key is refused with the command that decrypts it, and no passphrase is asked for. */
  @Test
  @Timeout(30)
  void encryptedOperatorKeyIsRefusedWithTheFix() throws Exception {
    Openssl.ok(operatorDir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256",
        "-pass", "pass:secret", "-out", "enc.key");

    assertThatThrownBy(() -> PemFiles.readPrivateKey(operatorDir.resolve("enc.key")))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("is encrypted")
        .hasMessageContaining("openssl pkey");
  }

  /** A server that runs for over a year renews its built-in certificate and uses it for new connections. */
  @Test
  @Timeout(30)
  void builtInCertificateIsRenewedWhileTheServerRuns() {
    ServerTls tls = ServerTls.open(dataDir, TlsSettings.defaults(), clock);
    SslContext first = tls.sslContext();
    Instant firstNotAfter = tls.identity().certificate().getNotAfter().toInstant();

    clock.advance(Duration.ofDays(100));
    assertThat(tls.sslContext()).as("nothing due yet").isSameAs(first);

    clock.advance(Duration.ofDays(270));
    SslContext renewed = tls.sslContext();

    assertThat(renewed).isNotSameAs(first);
    assertThat(tls.identity().certificate().getNotAfter().toInstant()).isAfter(firstNotAfter);
    assertThat(tls.sslContext()).isSameAs(renewed);
  }

  /** Files the operator replaces on disk (say, by cert-manager) are picked up within the check interval. */
  @Test
  @Timeout(30)
  void replacedOperatorFilesArePickedUp() throws Exception {
    Openssl.ok(operatorDir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=old", "-days", "9");
    ServerTls tls = ServerTls.open(dataDir, TlsSettings.defaults()
        .withOperatorCertificate(operatorDir.resolve("cert.pem"), operatorDir.resolve("key.pem")), clock);
    Openssl.ok(operatorDir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=new", "-days", "90");

    clock.advance(ServerTls.CHECK_INTERVAL.plusSeconds(1));
    tls.sslContext();

    assertThat(tls.identity().certificate().getSubjectX500Principal().getName()).isEqualTo("CN=new");
    assertThat(tls.identity().chain()).isEqualTo(List.of(PemFiles.readCertificates(operatorDir.resolve("cert.pem")).get(0)));
  }
}
