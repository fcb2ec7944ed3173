package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SourceAddressesTest {
  /** Connections come from 127.0.0.2 on, each address in turn. */
  @Test
  void takesLoopbackAddressesFromTwoOnInTurn() {
    SourceAddresses sources = SourceAddresses.loopback(3);
    assertThat(IntStream.range(0, 7).mapToObj(i -> sources.next().getHostAddress())).containsExactly(
        "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.2");
    assertThat(sources.describe()).isEqualTo("127.0.0.2–127.0.0.4");
    assertThat(sources.all()).allMatch(InetAddress::isLoopbackAddress);
  }

  @Test
  void staysWithinTheLoopbackNetwork() {
    assertThat(SourceAddresses.loopback(SourceAddresses.MAX).all()).last()
        .satisfies(a -> assertThat(a.getHostAddress()).isEqualTo("127.0.0.254"));
    assertThat(SourceAddresses.loopback(1).describe()).isEqualTo("127.0.0.2");
    assertThatThrownBy(() -> SourceAddresses.loopback(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SourceAddresses.loopback(SourceAddresses.MAX + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
