package io.flotilla.store.sql;

/** Whether a transaction may write. */
enum TxMode {
  READ, WRITE
}
