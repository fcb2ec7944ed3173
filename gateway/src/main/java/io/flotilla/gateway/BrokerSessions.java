package io.flotilla.gateway;

import io.flotilla.core.broker.BrokerAdmin;
import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.DevicePublisher;
import io.flotilla.core.broker.ClientSession;
import io.flotilla.core.tenant.TenantId;
import io.flotilla.gateway.mqtt.MqttBroker;
import io.flotilla.gateway.mqtt.SessionInfo;
import io.flotilla.gateway.mqtt.auth.ProtocolVersion;
import java.util.List;

/** The broker's sessions as the platform's operators and services see them. */
final class BrokerSessions implements BrokerAdmin, DevicePublisher {
  private final MqttBroker broker;

  BrokerSessions(MqttBroker broker) {
    this.broker = broker;
  }

  @Override
  public List<ClientSession> sessions(TenantId tenant) {
    return broker.sessions(tenant.value()).stream().map(BrokerSessions::view).toList();
  }

  @Override
  public boolean disconnect(TenantId tenant, String clientId, boolean discardSession) {
    return broker.disconnect(tenant.value(), clientId, discardSession);
  }

  @Override
  public int publish(TenantId tenant, BrokerMessage message) {
    return broker.publish(tenant.value(), message);
  }

  @Override
  public void retain(TenantId tenant, BrokerMessage message) {
    broker.retain(tenant.value(), message);
  }

  @Override
  public int publish(TenantId tenant, BrokerMessage message, java.util.function.Consumer<String> acknowledged) {
    return broker.publish(tenant.value(), message, acknowledged);
  }

  @Override
  public boolean connected(TenantId tenant, String clientId) {
    return broker.connected(tenant.value(), clientId);
  }

  static String protocolName(ProtocolVersion version) {
    return switch (version) {
      case MQTT_3_1 -> "mqtt-3.1";
      case MQTT_3_1_1 -> "mqtt-3.1.1";
      case MQTT_5 -> "mqtt-5";
    };
  }

  private static ClientSession view(SessionInfo s) {
    return new ClientSession(s.tenant(), s.clientId(), s.connected(),
        s.protocolVersion().map(BrokerSessions::protocolName), s.remoteAddress().map(Object::toString),
        s.connectedSince(), s.subscriptions(), s.queuedMessages());
  }
}
