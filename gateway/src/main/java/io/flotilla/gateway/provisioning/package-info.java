/**
 * Device provisioning over MQTT: certificate rotation requests taken from devices and answered to them.
 * Nothing here is null unless typed Optional.
 */
package io.flotilla.gateway.provisioning;
