/**
 * Ports to the registry's storage. Implementations live in {@code store-sql}; the contract test
 * suite there runs against every engine. Nothing here is null unless typed Optional.
 */
package io.flotilla.core.store;
