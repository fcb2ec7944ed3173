/**
 * Ports to the registry's storage. Implementations live in {@code store-sql}; the contract test
 * suite there runs against every engine. Nothing here is null unless typed Optional.
 *
 * <p>Stores keep times with millisecond precision: an {@link java.time.Instant} reads back
 * truncated to milliseconds, so services should take times from a millisecond clock.
 */
package io.flotilla.core.store;
