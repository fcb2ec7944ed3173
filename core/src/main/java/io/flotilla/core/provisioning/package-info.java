/**
 * Provisioning by claim (like AWS IoT fleet provisioning and Azure DPS): enrollment groups whose members prove
 * membership with a shared claim certificate or a key derived from the group's symmetric key, and receive their
 * own device id and credentials. Nothing here is null unless typed Optional.
 */
package io.flotilla.core.provisioning;
