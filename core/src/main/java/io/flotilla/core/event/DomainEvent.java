package io.flotilla.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened, published after it was committed: {@code device.status-changed},
 * {@code credential.revoked}, {@code device.connected}. Listeners react (the gateway closes the
 * connection of a suspended device); later the stream feeds webhooks, the console and Kafka.
 *
 * @param data the event's details, as JSON
 */
public record DomainEvent(TenantId tenant, String type, String entityType, String entityId, Instant at,
    ObjectNode data) {
  public DomainEvent {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(entityType, "entityType");
    Objects.requireNonNull(entityId, "entityId");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(data, "data");
  }
}
