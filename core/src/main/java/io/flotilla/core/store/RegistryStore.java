package io.flotilla.core.store;

/**
 * The registry's storage port: tenants, users, tokens, profiles, devices, groups and the audit
 * log, read and written in transactions. One implementation per engine (SQLite, PostgreSQL).
 */
public interface RegistryStore extends AutoCloseable {

  /**
   * Runs {@code work} in one read-write transaction and commits it, or rolls it back when the
   * work throws (the exception propagates unchanged). Writes that append to the same tenant's
   * audit chain are serialized by the engine. Transactions do not nest: calling {@code write} or
   * {@code read} from inside {@code work} throws {@link IllegalStateException}.
   */
  <T> T write(Work<T> work);

  /**
   * Runs {@code work} in a read-only transaction with a consistent snapshot; an attempt to write
   * in it throws {@link StoreException}.
   */
  <T> T read(Work<T> work);

  /** True when the store answers a trivial query now; drives {@code /health/ready}. */
  boolean isReady();

  /** The engine's name for logs and metrics: {@code sqlite} or {@code postgresql}. */
  String engine();

  @Override
  void close();

  /** Work done inside a transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(RegistryTx tx);
  }
}
