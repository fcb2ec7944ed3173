package io.flotilla.benchpeers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HiveMqPeerTest {
  /** Listeners on the given address and ports, the keystore for TLS, and no usage statistics sent home. */
  @Test
  void writesAPlainAndATlsListenerAndTurnsUsageStatisticsOff() {
    String xml = HiveMqPeer.configXml(new String[] {"/tmp/w", "127.0.0.1", "41883", "48883", "/tmp/k&s.p12", "p<w"});
    assertThat(xml)
        .contains("<tcp-listener><port>41883</port><bind-address>127.0.0.1</bind-address></tcp-listener>")
        .contains("<tls-tcp-listener><port>48883</port><bind-address>127.0.0.1</bind-address>")
        .contains("<path>/tmp/k&amp;s.p12</path><password>p&lt;w</password>")
        .contains("<anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>");
  }

  @Test
  void hasOnlyThePlainListenerWithoutAKeystore() {
    String xml = HiveMqPeer.configXml(new String[] {"/tmp/w", "127.0.0.1", "41883"});
    assertThat(xml).contains("<tcp-listener>").doesNotContain("tls");
  }
}
