package io.flotilla.core.event;

import java.util.function.Consumer;

/** The domain event stream's port: publish what happened, subscribe to react. */
public interface DomainEvents {
  /** Delivers the event to every subscriber; a failing subscriber never affects the publisher. */
  void publish(DomainEvent event);

  /** Adds a subscriber; the returned handle removes it again. */
  AutoCloseable subscribe(Consumer<DomainEvent> subscriber);
}
