/**
 * Who a connecting MQTT client is and what it may do: {@link io.flotilla.gateway.mqtt.auth.MqttAuthenticator}
 * turns a CONNECT into a {@link io.flotilla.gateway.mqtt.auth.ClientIdentity} (tenant and kind), and
 * {@link io.flotilla.gateway.mqtt.auth.MqttAuthorizer} decides each publish and subscription. The platform
 * implements both against its registry; this package also holds the topic-namespace rules every tenant
 * shares ({@link io.flotilla.gateway.mqtt.auth.NamespaceAuthorizer}). Nothing here is null unless typed Optional.
 */
package io.flotilla.gateway.mqtt.auth;
