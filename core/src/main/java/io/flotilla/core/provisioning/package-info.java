/**
 * Provisioning: by claim (like AWS IoT fleet provisioning and Azure DPS), where enrollment groups' members prove
 * membership with a shared claim certificate or a key derived from the group's symmetric key and receive their own
 * device id and credentials; and bulk provisioning jobs, a manifest of devices with their keys (CSRs or public keys)
 * worked through in the background with progress and a per-row report. Nothing here is null unless typed Optional.
 */
package io.flotilla.core.provisioning;
