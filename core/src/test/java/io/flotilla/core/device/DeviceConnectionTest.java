package io.flotilla.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceConnectionTest {
  private static final TenantId TENANT = new TenantId("acme");
  private static final DeviceId DEVICE = new DeviceId("pump-1");
  private static final Instant T1 = Instant.parse("2025-03-01T12:00:01Z");
  private static final Instant T2 = Instant.parse("2025-03-01T12:00:02Z");

  /** Traffic noted in memory only ever moves last-seen forwards. */
  @Test
  void seenAtKeepsTheLaterTime() {
    DeviceConnection online = online(T2);
    assertThat(online.seenAt(T1)).isSameAs(online);
    assertThat(online.seenAt(T2)).isSameAs(online);
    assertThat(online(T1).seenAt(T2).lastSeen()).contains(T2);
  }

  /** The fields of one connection come together, and an online device has one. */
  @Test
  void refusesHalfAConnection() {
    assertThatThrownBy(() -> new DeviceConnection(TENANT, DEVICE, false, Optional.of("conn-1"), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DeviceConnection(TENANT, DEVICE, true, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** What is not known is left out of the JSON; the connection id stays inside the server. */
  @Test
  void jsonLeavesOutWhatIsNotKnown() {
    assertThat(EntityJson.connection(DeviceConnection.never(TENANT, DEVICE)).toString())
        .isEqualTo("{\"deviceId\":\"pump-1\",\"online\":false}");
    assertThat(EntityJson.connection(online(T2)).toString()).isEqualTo("{\"deviceId\":\"pump-1\",\"online\":true,"
        + "\"connectedSince\":\"2025-03-01T12:00:01Z\",\"lastSeen\":\"2025-03-01T12:00:02Z\","
        + "\"clientAddress\":\"10.0.0.5:40000\",\"protocol\":\"mqtt-5\"}");
  }

  private static DeviceConnection online(Instant lastSeen) {
    return new DeviceConnection(TENANT, DEVICE, true, Optional.of("conn-1"), Optional.of(T1), Optional.of(lastSeen),
        Optional.empty(), Optional.of("10.0.0.5:40000"), Optional.of("mqtt-5"), Optional.empty());
  }
}
