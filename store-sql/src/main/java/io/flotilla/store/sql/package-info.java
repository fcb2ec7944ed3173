/**
 * The registry storage port on SQLite and PostgreSQL with plain JDBC: one SQL layer, a small
 * dialect for the few differences, and a tiny migration runner for the scripts under
 * {@code db/registry}. Start at {@link io.flotilla.store.sql.RegistryStores#open(String)}.
 * Nothing here is null unless typed Optional.
 */
package io.flotilla.store.sql;
