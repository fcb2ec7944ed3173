/**
 * Bulk provisioning jobs: a manifest of devices with their keys (CSRs or public keys), worked through in the
 * background with progress and a per-row report. Nothing here is null unless typed Optional.
 */
package io.flotilla.core.provisioning;
