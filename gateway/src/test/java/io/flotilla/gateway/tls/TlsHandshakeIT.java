package io.flotilla.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.device.Certificates;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real handshakes against a Netty server using the gateway's TLS context: with openssl as device
 * developers test, and with a Java client that trusts nothing but the downloaded ca.pem.
 */
class TlsHandshakeIT {
  @TempDir Path dataDir;
  @TempDir Path clientDir;

  /** openssl trusting only ca.pem verifies the built-in certificate for localhost over TLS 1.3. */
  @Test
  @Timeout(60)
  void opensslVerifiesTheBuiltInCertificateOverTls13() throws Exception {
    try (TlsEchoServer server = server(ClientAuthMode.NONE)) {
      Openssl.Result result = sClient(server, "-tls1_3");

      assertThat(result.output()).contains("Verify return code: 0 (ok)", "New, TLSv1.3, Cipher is TLS_AES_");
      assertThat(result.exitCode()).isZero();
      assertThat(server.nextHandshake().protocol()).isEqualTo("TLSv1.3");
    }
  }

  /** openssl trusting only ca.pem verifies the built-in certificate for localhost over TLS 1.2, with ECDHE. */
  @Test
  @Timeout(60)
  void opensslVerifiesTheBuiltInCertificateOverTls12() throws Exception {
    try (TlsEchoServer server = server(ClientAuthMode.NONE)) {
      Openssl.Result result = sClient(server, "-tls1_2");

      assertThat(result.output()).contains("Verify return code: 0 (ok)", "New, TLSv1.2, Cipher is ECDHE-ECDSA-");
      assertThat(result.exitCode()).isZero();
      assertThat(server.nextHandshake().protocol()).isEqualTo("TLSv1.2");
    }
  }

  /** A client that insists on TLS 1.1 is refused by the server (not by its own policy) with a protocol alert. */
  @Test
  @Timeout(60)
  void tls11IsRefused() throws Exception {
    try (TlsEchoServer server = server(ClientAuthMode.NONE)) {
      // SECLEVEL=0 lets OpenSSL 3 offer TLS 1.1 at all, so that it is the server that says no.
      Openssl.Result result = sClient(server, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");

      assertThat(result.exitCode()).isNotZero();
      assertThat(result.output()).doesNotContain("no protocols available").contains("alert protocol version");
      assertThat(server.nextHandshake().succeeded()).isFalse();
    }
  }

  /** TLS 1.2 suites without forward secrecy or with CBC are not offered, so a client asking only for them fails. */
  @Test
  @Timeout(60)
  void weakTls12CipherSuitesAreRefused() throws Exception {
    try (TlsEchoServer server = server(ClientAuthMode.NONE)) {
      Openssl.Result result = sClient(server, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:AES128-SHA");

      assertThat(result.exitCode()).isNotZero();
      assertThat(result.output()).contains("alert handshake failure");
      assertThat(server.nextHandshake().succeeded()).isFalse();
    }
  }

  /** A Java client trusting only ca.pem, checking the host name "localhost", connects and gets its echo. */
  @Test
  @Timeout(60)
  void javaClientTrustingOnlyTheCaVerifiesLocalhost() throws Exception {
    try (TlsEchoServer server = server(ClientAuthMode.NONE);
        SSLSocket socket = connect(clientContext(Optional.empty()), server, "localhost")) {
      assertThat(echoes(socket)).isTrue();
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
  }

  /** Host name verification is real: a name the certificate does not carry fails the handshake. */
  @Test
  @Timeout(60)
  void javaClientRefusesTheServerForANameNotInItsCertificate() throws Exception {
    try (TlsEchoServer server = server(ClientAuthMode.NONE);
        SSLSocket socket = connect(clientContext(Optional.empty()), server, "not-this-server.example")) {
      assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("not-this-server.example");
    }
  }

  /** With client certificates required, a client without one gets no connection. */
  @Test
  @Timeout(60)
  void requiredClientCertificateRefusesAClientWithout() throws Exception {
    try (TlsEchoServer server = server(ClientAuthMode.REQUIRE);
        SSLSocket socket = connect(clientContext(Optional.empty()), server, "localhost")) {
      assertThat(echoes(socket)).isFalse();
      assertThat(server.nextHandshake().succeeded()).isFalse();
    }
  }

  /** A self-signed device certificate from openssl is accepted, and the server reads it by its fingerprint. */
  @Test
  @Timeout(60)
  void requiredClientCertificateAcceptsASelfSignedDeviceCertificate() throws Exception {
    Openssl.ok(clientDir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "device.key", "-out", "device.pem", "-subj", "/CN=device-42", "-days", "30");
    X509Certificate device = PemFiles.readCertificates(clientDir.resolve("device.pem")).get(0);
    PrivateKey key = PemFiles.readPrivateKey(clientDir.resolve("device.key"));

    try (TlsEchoServer server = server(ClientAuthMode.REQUIRE);
        SSLSocket socket = connect(clientContext(Optional.of(keyStore(device, key))), server, "localhost")) {
      assertThat(echoes(socket)).isTrue();
      TlsEchoServer.Handshake handshake = server.nextHandshake();
      assertThat(handshake.succeeded()).isTrue();
      assertThat(handshake.clientChain()).containsExactly(device);
      assertThat(Certificates.fingerprint(handshake.clientChain().get(0))).isEqualTo(Certificates.fingerprint(device));
    }
  }

  /** openssl with the device's certificate and key gets through a server that requires one. */
  @Test
  @Timeout(60)
  void opensslWithADeviceCertificateIsAccepted() throws Exception {
    Openssl.ok(clientDir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "device.key", "-out", "device.pem", "-subj", "/CN=device-43", "-days", "30");
    try (TlsEchoServer server = server(ClientAuthMode.REQUIRE)) {
      Openssl.Result result = sClient(server, "-cert", clientDir.resolve("device.pem").toString(),
          "-key", clientDir.resolve("device.key").toString());

      assertThat(result.output()).contains("Verify return code: 0 (ok)");
      TlsEchoServer.Handshake handshake = server.nextHandshake();
      assertThat(handshake.succeeded()).isTrue();
      assertThat(handshake.clientChain()).extracting(c -> c.getSubjectX500Principal().getName())
          .containsExactly("CN=device-43");
    }
  }

  /**
   * An expired device certificate passes TLS: the broker's authenticator refuses it with a specific reason
   * (certificate expired) rather than a bare handshake alert.
   */
  @Test
  @Timeout(60)
  void expiredClientCertificateIsLeftToTheBrokerToJudge() throws Exception {
    KeyPair keys = io.flotilla.ca.KeyPairs.newP256();
    Instant past = Instant.now().minus(Duration.ofDays(60));
    X509Certificate expired = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
        new X500Name("CN=old-device"), BigInteger.TEN, Date.from(past), Date.from(past.plus(Duration.ofDays(30))),
        new X500Name("CN=old-device"), keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA")
        .build(keys.getPrivate())));

    try (TlsEchoServer server = server(ClientAuthMode.OPTIONAL);
        SSLSocket socket = connect(clientContext(Optional.of(keyStore(expired, keys.getPrivate()))), server, "localhost")) {
      assertThat(echoes(socket)).isTrue();
      assertThat(server.nextHandshake().clientChain()).containsExactly(expired);
    }
  }

  /** With optional client certificates a client without one connects, and its chain reads as empty. */
  @Test
  @Timeout(60)
  void optionalClientCertificateLetsAClientWithoutOneIn() throws Exception {
    try (TlsEchoServer server = server(ClientAuthMode.OPTIONAL);
        SSLSocket socket = connect(clientContext(Optional.empty()), server, "localhost")) {
      assertThat(echoes(socket)).isTrue();
      TlsEchoServer.Handshake handshake = server.nextHandshake();
      assertThat(handshake.succeeded()).isTrue();
      assertThat(handshake.clientChain()).isEmpty();
    }
  }

  private TlsEchoServer server(ClientAuthMode clientAuth) throws InterruptedException {
    ServerTls tls = ServerTls.open(dataDir, TlsSettings.defaults().withClientAuth(clientAuth), Clock.systemUTC());
    return new TlsEchoServer(tls.sslContext());
  }

  private Openssl.Result sClient(TlsEchoServer server, String... options) throws Exception {
    String[] args = new String[] {"s_client", "-connect", "127.0.0.1:" + server.port(),
        "-CAfile", dataDir.resolve("tls/ca.pem").toString(), "-verify_return_error",
        "-servername", "localhost", "-verify_hostname", "localhost"};
    String[] all = new String[args.length + options.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(options, 0, all, args.length, options.length);
    return Openssl.run(clientDir, "", all);
  }

  private SSLContext clientContext(Optional<KeyStore> clientKeys) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("flotilla-ca", PemFiles.readCertificates(dataDir.resolve("tls/ca.pem")).get(0));
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
    trustManagers.init(trust);
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("SunX509");
    if (clientKeys.isPresent()) {
      keyManagers.init(clientKeys.get(), new char[0]);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(clientKeys.isPresent() ? keyManagers.getKeyManagers() : null, trustManagers.getTrustManagers(), null);
    return context;
  }

  private static KeyStore keyStore(X509Certificate certificate, PrivateKey key) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("device", key, new char[0], new X509Certificate[] {certificate});
    return store;
  }

  /** A TLS socket to the server's port that checks the server's certificate for {@code hostName}. */
  private static SSLSocket connect(SSLContext context, TlsEchoServer server, String hostName) throws IOException {
    Socket plain = new Socket("127.0.0.1", server.port());
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, hostName, server.port(), true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Whether "ping" comes back; false when the connection fails or closes. */
  private static boolean echoes(SSLSocket socket) {
    try {
      socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      byte[] answer = in.readNBytes(4);
      return new String(answer, StandardCharsets.US_ASCII).equals("ping");
    } catch (IOException e) {
      return false;
    }
  }
}
