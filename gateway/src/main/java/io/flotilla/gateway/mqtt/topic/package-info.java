/**
 * Topic names and filters: validation, shared-subscription parsing, the subscription tree that finds
 * the subscribers of a topic without scanning, and the retained-message tree. One
 * {@link io.flotilla.gateway.mqtt.topic.TenantSpace} per tenant keeps tenants apart. Nothing here is
 * null unless typed Optional or documented as nullable.
 */
package io.flotilla.gateway.mqtt.topic;
