/**
 * The registry's use cases. Each public method takes the calling {@code Principal}, checks its
 * permission, validates input with field paths, and records every change in the audit chain in
 * the same transaction. The exceptions are the calls the device doors make for a device they
 * authenticated ({@code DeviceAuthentication}, the reports to {@code ConnectivityService}): no
 * principal, and no audit for what is observed rather than changed. Nothing here is null unless
 * typed Optional.
 */
package io.flotilla.core.service;
