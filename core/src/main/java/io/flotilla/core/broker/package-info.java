/**
 * The MQTT broker's durable state as the domain sees it: retained messages and persistent
 * sessions, stored through {@link io.flotilla.core.store.RegistryTx#retainedMessages()} and
 * {@link io.flotilla.core.store.RegistryTx#brokerSessions()}. Nothing here is null unless typed Optional.
 */
package io.flotilla.core.broker;
