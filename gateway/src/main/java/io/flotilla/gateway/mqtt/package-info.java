/**
 * An embeddable MQTT 3.1.1 and 5.0 broker on Netty with a separate topic space per tenant.
 * {@link io.flotilla.gateway.mqtt.MqttBroker} starts and stops it; {@link io.flotilla.gateway.mqtt.BrokerConfig}
 * configures it; {@link io.flotilla.gateway.mqtt.MqttPipeline} installs the MQTT handlers on any Netty
 * pipeline (behind TLS or a WebSocket bridge). Sub-packages hold the features: {@code auth} (identity
 * and authorization), {@code protocol} (the per-connection packet handling), {@code session},
 * {@code topic} and {@code store}. Nothing here is null unless typed Optional.
 */
package io.flotilla.gateway.mqtt;
