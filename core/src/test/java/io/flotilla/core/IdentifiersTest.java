package io.flotilla.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.device.DeviceId;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.tenant.TenantId;
import org.junit.jupiter.api.Test;

class IdentifiersTest {
  /** Ids travel in MQTT topics and URLs, so topic wildcards, slashes and spaces are refused. */
  @Test
  void refusesCharactersThatBreakTopicsOrUrls() {
    for (String bad : new String[] {"a/b", "a+b", "a#b", "a b", "-lead", "", "ä", "x".repeat(129)}) {
      assertThat(Identifiers.isEntityId(bad)).as(bad).isFalse();
    }
    for (String good : new String[] {"pump-7", "a.b_c:d", "X", "x".repeat(128)}) {
      assertThat(Identifiers.isEntityId(good)).as(good).isTrue();
    }
    assertThatThrownBy(() -> new DeviceId("a/b")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("not a valid id");
  }

  @Test
  void tenantIdsAreLowerCaseLabels() {
    assertThat(new TenantId("acme-2").value()).isEqualTo("acme-2");
    assertThatThrownBy(() -> new TenantId("Acme")).isInstanceOf(ValidationException.class);
  }
}
