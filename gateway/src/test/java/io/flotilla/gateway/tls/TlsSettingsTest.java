package io.flotilla.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TlsSettingsTest {

  /** Out of the box: the built-in CA, no extra names, client certificates optional. */
  @Test
  @Timeout(5)
  void defaultsUseTheBuiltInCaWithOptionalClientCertificates() {
    TlsSettings settings = TlsSettings.defaults();

    assertThat(settings.usesOperatorCertificate()).isFalse();
    assertThat(settings.extraNames()).isEmpty();
    assertThat(settings.clientAuth()).isEqualTo(ClientAuthMode.OPTIONAL);
  }

  /** A certificate without its key (or the reverse) is a configuration mistake, not a silent fallback. */
  @Test
  @Timeout(5)
  void certificateWithoutKeyIsRefused() {
    assertThatThrownBy(() -> new TlsSettings(List.of(), Optional.of(Path.of("server.pem")), Optional.empty(),
        ClientAuthMode.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("give both the server certificate chain file and its private key file");
  }

  /** Extra names must be DNS names or IP addresses; the message names the bad one. */
  @Test
  @Timeout(5)
  void extraNamesMustBeDnsNamesOrIpAddresses() {
    assertThat(TlsSettings.defaults().withExtraNames(List.of("mqtt.example.com", "*.devices.example.com",
        "10.0.0.7", "fd00::7")).extraNames()).hasSize(4);

    assertThatThrownBy(() -> TlsSettings.defaults().withExtraNames(List.of("mqtt example.com")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'mqtt example.com' is neither a DNS name");
  }

  /** Names compare by meaning: case of DNS names and spelling of IPv6 addresses do not matter. */
  @Test
  @Timeout(5)
  void serverNamesAreNormalized() {
    ServerNames a = ServerNames.forServer(List.of("MQTT.Example.com", "0:0:0:0:0:0:0:1", "fd00:0::7"), Optional.empty());
    ServerNames b = ServerNames.forServer(List.of("mqtt.example.com", "fd00::7"), Optional.of("LOCALHOST"));

    assertThat(a).isEqualTo(b);
    assertThat(a.all()).containsExactly("localhost", "mqtt.example.com", "127.0.0.1", "::1", "fd00::7");
  }
}
