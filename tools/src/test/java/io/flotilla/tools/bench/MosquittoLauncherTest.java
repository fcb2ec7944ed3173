package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MosquittoLauncherTest {
  /** Both listeners on 127.0.0.1 without a connection limit, anonymous, nothing persisted, no per-connection logging. */
  @Test
  void configuresAPlainAndATlsListenerOnLoopback() {
    TlsFiles tls = new TlsFiles(Path.of("/tmp/x/cert.pem"), Path.of("/tmp/x/key.pem"), Path.of("/tmp/x/ks.p12"), "pw");
    String config = MosquittoLauncher.configuration(41883, Optional.of(48883), Optional.of(tls));
    assertThat(config.lines()).contains("allow_anonymous true", "persistence false", "connection_messages false",
        "set_tcp_nodelay true", "max_inflight_messages 0", "listener 41883 127.0.0.1", "listener 48883 127.0.0.1",
        "certfile /tmp/x/cert.pem", "keyfile /tmp/x/key.pem");
    assertThat(config.lines().filter("max_connections -1"::equals)).hasSize(2);
    assertThat(config).doesNotContain("pw");
  }

  @Test
  void hasNoTlsListenerWithoutACertificate() {
    String config = MosquittoLauncher.configuration(41883, Optional.empty(), Optional.empty());
    assertThat(config).contains("listener 41883 127.0.0.1").doesNotContain("certfile");
    assertThat(config.lines().filter(l -> l.startsWith("listener "))).hasSize(1);
  }

  /** With a client CA, the TLS listener requires a certificate it signed and takes the CN as the user name. */
  @Test
  void requiresClientCertificatesOfTheGivenCa() {
    TlsFiles tls = new TlsFiles(Path.of("/tmp/x/cert.pem"), Path.of("/tmp/x/key.pem"), Path.of("/tmp/x/ks.p12"), "pw");
    String config = MosquittoLauncher.configuration(41883, Optional.of(48883), Optional.of(tls),
        Optional.of(Path.of("/tmp/x/tenant-ca.pem")));
    assertThat(config.lines()).contains("cafile /tmp/x/tenant-ca.pem", "require_certificate true",
        "use_identity_as_username true");
    assertThat(MosquittoLauncher.configuration(41883, Optional.of(48883), Optional.of(tls)))
        .doesNotContain("require_certificate");
  }
}
