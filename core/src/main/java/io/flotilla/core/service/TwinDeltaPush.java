package io.flotilla.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.broker.BrokerMessage;
import io.flotilla.core.broker.DevicePublisher;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.json.Json;
import io.flotilla.core.twin.Twin;
import io.flotilla.core.twin.TwinTopics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps each twin's delta on {@code …/twin/delta} as a retained QoS 1 message, so a device that (re)connects and
 * subscribes receives the current delta at once, and a persistent session gets it queued while offline:
 * when desired changes and the delta is not empty it is published (delivered to subscribers and retained); when
 * reported changes it is only re-retained, quietly (the device knows what it reported); an empty delta removes
 * the retained message. A decommissioned or deleted device's default-twin delta is removed too.
 */
public final class TwinDeltaPush implements AutoCloseable {
  private final DevicePublisher publisher;
  private final AutoCloseable subscription;

  public TwinDeltaPush(DomainEvents events, DevicePublisher publisher) {
    this.publisher = publisher;
    this.subscription = events.subscribe(this::on);
  }

  private void on(DomainEvent event) {
    switch (event.type()) {
      case TwinService.TWIN_CHANGED -> changed(event);
      case "device.deleted", "device.decommissioned" -> forget(event);
      default -> { }
    }
  }

  /** A deleted device's twins are gone: so are their retained deltas, the default's and every named one's. */
  private void forget(DomainEvent event) {
    Set<String> names = new LinkedHashSet<>(List.of(Twin.DEFAULT));
    event.data().path("twins").forEach(n -> names.add(n.asText()));
    for (String name : names) {
      publisher.retain(event.tenant(), message(TwinTopics.delta(event.entityId(), name), new byte[0], event.at()));
    }
  }

  private void changed(DomainEvent event) {
    String name = event.data().path("name").asText(Twin.DEFAULT);
    JsonNode delta = event.data().path("delta");
    String topic = TwinTopics.delta(event.entityId(), name);
    if (!delta.isObject() || delta.isEmpty()) {
      publisher.retain(event.tenant(), message(topic, new byte[0], event.at()));
      return;
    }
    ObjectNode body = Json.object().put("version",
        event.data().path("version").asLong());
    body.set("delta", delta);
    BrokerMessage message = message(topic, Json.write(body).getBytes(StandardCharsets.UTF_8), event.at());
    if (event.data().path("section").asText().equals(Twin.Section.DESIRED.wireName())) {
      publisher.publish(event.tenant(), message);
    } else {
      publisher.retain(event.tenant(), message);
    }
  }

  private static BrokerMessage message(String topic, byte[] payload, Instant at) {
    return new BrokerMessage(topic, payload, 1, true, Optional.empty(), Optional.of("application/json"),
        Optional.empty(), Optional.empty(), payload.length > 0, List.of(), at);
  }

  @Override
  public void close() throws Exception {
    subscription.close();
  }
}
