/**
 * The Flotilla device SDK: connect a device or gateway to Flotilla over MQTT 5, publish telemetry
 * through a bounded store-and-forward buffer on disk, keep the device twin, answer commands, and
 * reconnect with exponential backoff and jitter. Start with {@link io.flotilla.device.FlotillaDevice}.
 *
 * <p>Nothing in this package is null unless typed {@code Optional}. The SDK depends on Eclipse Paho
 * MQTT 5 and Jackson only; it never depends on the server's modules.
 */
package io.flotilla.device;
