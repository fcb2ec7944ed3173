package io.flotilla.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.tenant.TenantId;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a device registered without an operator (just in time from a registered CA, or by claim) its first desired
 * state: its profile's {@code defaultTwin.desired}, overlaid with the registration template's {@code initialTwin}.
 * Listens to {@value #DEVICE_REGISTERED}, published by those registrations after their transaction; the seed is a
 * transaction of its own, so a failure leaves a registered device with an empty twin (logged), never an
 * unregistered one.
 */
public final class InitialTwins implements AutoCloseable {
  /** Published after a device registered itself; data: {@code profile}, {@code by}, {@code initialTwin} (optional). */
  public static final String DEVICE_REGISTERED = "device.registered";
  private static final Logger LOG = LoggerFactory.getLogger(InitialTwins.class);

  private final RegistryStore store;
  private final TwinService twins;
  private final AutoCloseable subscription;

  public InitialTwins(RegistryStore store, TwinService twins, DomainEvents events) {
    this.store = store;
    this.twins = twins;
    this.subscription = events.subscribe(this::on);
  }

  /** The event a registration publishes for {@code device} of {@code profile}, registered by {@code by}. */
  static DomainEvent registered(TenantId tenant, String device, String profile, String by,
      Optional<ObjectNode> initialTwin, java.time.Instant at) {
    ObjectNode data = Json.object().put("profile", profile).put("by", by);
    initialTwin.ifPresent(t -> data.set("initialTwin", t.deepCopy()));
    return new DomainEvent(tenant, DEVICE_REGISTERED, "device", device, at, data);
  }

  private void on(DomainEvent event) {
    if (!event.type().equals(DEVICE_REGISTERED)) {
      return;
    }
    String profile = event.data().path("profile").asText();
    JsonNode desired = store.read(tx -> tx.profiles().find(event.tenant(), profile)).map(DeviceProfile::defaultTwin)
        .map(t -> t.path("desired")).filter(JsonNode::isObject).orElseGet(Json::object);
    JsonNode initial = event.data().path("initialTwin");
    if (initial.isObject()) {
      desired = Json.mergePatch(desired, initial);
    }
    try {
      twins.seed(event.tenant(), event.entityId(), (ObjectNode) desired, event.data().path("by").asText("registration"));
    } catch (RuntimeException e) {
      LOG.warn("Device {} of tenant {} was registered but its twin could not get its initial desired state: {}",
          event.entityId(), event.tenant(), e.getMessage());
    }
  }

  @Override
  public void close() throws Exception {
    subscription.close();
  }
}
