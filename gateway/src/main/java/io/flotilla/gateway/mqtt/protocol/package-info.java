/**
 * The per-connection protocol: {@link io.flotilla.gateway.mqtt.protocol.MqttConnection} receives decoded
 * packets on the channel's event loop and hands them to the flows by packet kind (connect, publish and
 * acknowledgements, subscribe); {@link io.flotilla.gateway.mqtt.protocol.Packets} and
 * {@link io.flotilla.gateway.mqtt.protocol.PublishPackets} build what goes back. Nothing here is null
 * unless typed Optional or documented as nullable.
 */
package io.flotilla.gateway.mqtt.protocol;
