package io.flotilla.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoDeviceTest {
  /** The device echoes a command's payload whatever its JSON shape, strings with brackets and quotes included. */
  @Test
  void findsTheWholeJsonValueThatStartsAtAPosition() {
    String request = "{\"id\":\"c1\",\"name\":\"echo\",\"payload\":{\"n\":3,\"s\":\"a}\\\"]\",\"l\":[1,{\"x\":[]}]},"
        + "\"expiresAt\":\"2026-01-01T00:00:00Z\"}";
    int at = request.indexOf("\"payload\":") + "\"payload\":".length();

    assertThat(EchoDevice.jsonValueAt(request, at)).isEqualTo("{\"n\":3,\"s\":\"a}\\\"]\",\"l\":[1,{\"x\":[]}]}");
    assertThat(EchoDevice.jsonValueAt("{\"payload\": 42,\"x\":1}", 11)).isEqualTo("42");
    assertThat(EchoDevice.jsonValueAt("{\"payload\":null}", 11)).isEqualTo("null");
  }
}
