/**
 * MQTT sessions: their subscriptions, the outbound QoS 1/2 window with packet identifiers, the queue
 * of messages waiting for a window slot or for the client to come back, expiry, and the routing of a
 * published message to every matching session of its tenant. A session's state is guarded by its own
 * monitor, so messages may be delivered to it from any event loop; packets reach the network through
 * its {@link io.flotilla.gateway.mqtt.session.ClientLink}. Nothing here is null unless typed Optional
 * or documented as nullable.
 */
package io.flotilla.gateway.mqtt.session;
