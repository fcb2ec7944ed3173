/**
 * The registry's use cases. Each public method takes the calling {@code Principal}, checks its
 * permission, validates input with field paths, and records every change in the audit chain in
 * the same transaction. Nothing here is null unless typed Optional.
 */
package io.flotilla.core.service;
