/**
 * Device twins: per device, documents with a {@code desired} section (operators and applications) and a
 * {@code reported} section (the device), per-leaf metadata, a version that rises on every change, the computed
 * delta, the change history and a flattened index of leaf values for querying the fleet. Nothing here is null
 * unless typed Optional.
 */
package io.flotilla.core.twin;
