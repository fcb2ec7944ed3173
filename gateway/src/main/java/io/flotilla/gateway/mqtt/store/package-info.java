/**
 * Where the broker keeps what must survive a restart: retained messages, persistent sessions and the
 * messages queued for them. {@link io.flotilla.gateway.mqtt.store.BrokerStateStore} is the seam;
 * {@link io.flotilla.gateway.mqtt.store.RegistryBrokerStateStore} writes through the registry,
 * {@link io.flotilla.gateway.mqtt.store.InMemoryBrokerStateStore} keeps state for the life of the JVM.
 * Nothing here is null unless typed Optional.
 */
package io.flotilla.gateway.mqtt.store;
