package io.flotilla.gateway.command;

import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.DevicePublisher;
import io.flotilla.core.command.Command;
import io.flotilla.core.command.CommandTransport;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Commands as MQTT messages: PUBLISH QoS 1 on {@code devices/{id}/commands/{commandId}} with
 * {@code {"id","name","payload","expiresAt"}}; over MQTT 5 also Response Topic {@code …/response}, Correlation Data
 * = the command id in UTF-8 and a message expiry at the command's deadline. Delivered once the device's own
 * session acknowledges it.
 */
public final class MqttCommandTransport implements CommandTransport {
  private final DevicePublisher publisher;
  private final Clock clock;

  public MqttCommandTransport(DevicePublisher publisher, Clock clock) {
    this.publisher = publisher;
    this.clock = clock;
  }

  @Override
  public boolean online(TenantId tenant, String deviceId) {
    return publisher.connected(tenant, deviceId);
  }

  @Override
  public boolean publish(Command command, Runnable onDelivered) {
    String device = command.deviceId();
    return publisher.publish(command.tenant(), message(command), clientId -> {
      if (clientId.equals(device)) {
        onDelivered.run();
      }
    }) > 0;
  }

  BrokerMessage message(Command command) {
    return new BrokerMessage(command.topic(), Json.write(EntityJson.commandForDevice(command)).getBytes(StandardCharsets.UTF_8), 1, false,
        Optional.of(command.expiresAt()), Optional.of("application/json"), Optional.of(command.responseTopic()),
        Optional.of(command.id().getBytes(StandardCharsets.UTF_8)), true, List.of(), clock.instant());
  }
}
