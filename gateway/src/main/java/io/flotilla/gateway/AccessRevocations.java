package io.flotilla.gateway;

import io.flotilla.core.event.DomainEvent;
import io.flotilla.gateway.mqtt.MqttBroker;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the live connection of a device the moment it loses the right to be connected: it was
 * suspended, decommissioned or deleted, or the credential it connected with was revoked (revoking another of
 * its credentials, an unused rotation certificate say, leaves it connected). Its next connect is then checked
 * afresh, and refused if it has no valid credential left.
 */
final class AccessRevocations implements Consumer<DomainEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(AccessRevocations.class);
  private static final Set<String> BARRED = Set.of("suspended", "decommissioned");

  private final MqttBroker broker;

  AccessRevocations(MqttBroker broker) {
    this.broker = broker;
  }

  @Override
  public void accept(DomainEvent event) {
    boolean revoke = switch (event.type()) {
      case "device.status-changed" -> BARRED.contains(event.data().path("to").asText());
      case "device.deleted", "credential.revoked" -> true;
      default -> false;
    };
    if (revoke && event.entityType().equals("device")) {
      boolean discard = !event.type().equals("credential.revoked");
      String credential = event.type().equals("credential.revoked") ? event.data().path("id").asText("") : "";
      boolean disconnected = credential.isEmpty()
          ? broker.disconnect(event.tenant().value(), event.entityId(), discard)
          // Only the connection made with the revoked credential (or one whose credential is unknown).
          : broker.disconnectIf(event.tenant().value(), event.entityId(),
              identity -> identity.credentialId().map(credential::equals).orElse(true));
      if (disconnected) {
        LOG.info("Disconnected device {}/{} after {}", event.tenant(), event.entityId(), event.type());
      }
    }
  }
}
