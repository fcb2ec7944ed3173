package io.flotilla.core.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node event stream: subscribers are called on the publisher's thread, in order of
 * subscription. Subscribers must be quick; slow work belongs on their own executor.
 */
public final class InProcessDomainEvents implements DomainEvents {
  private static final Logger LOG = LoggerFactory.getLogger(InProcessDomainEvents.class);

  private final List<Consumer<DomainEvent>> subscribers = new CopyOnWriteArrayList<>();

  @Override
  public void publish(DomainEvent event) {
    for (Consumer<DomainEvent> subscriber : subscribers) {
      try {
        subscriber.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("A subscriber failed on event {} of {} '{}' in tenant {}", event.type(), event.entityType(),
            event.entityId(), event.tenant(), e);
      }
    }
  }

  @Override
  public AutoCloseable subscribe(Consumer<DomainEvent> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }
}
