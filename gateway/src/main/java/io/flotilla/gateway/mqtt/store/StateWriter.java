package io.flotilla.gateway.mqtt.store;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies changes to a {@link BrokerStateStore} on one background thread, in the order they were
 * submitted, so that the network event loops never wait for the database and a session's changes
 * reach the store in the order they happened. A failed write is logged and does not stop later ones.
 */
public final class StateWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StateWriter.class);

  private final BrokerStateStore store;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "mqtt-state-writer");
    t.setDaemon(true);
    return t;
  });

  public StateWriter(BrokerStateStore store) {
    this.store = store;
  }

  public BrokerStateStore store() {
    return store;
  }

  /** Queues {@code change}; {@code what} names it in the log if it fails. */
  public void submit(String what, Consumer<BrokerStateStore> change) {
    try {
      thread.execute(() -> {
        try {
          change.accept(store);
        } catch (RuntimeException e) {
          LOG.error("Could not persist broker state change: {}.", what, e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.warn("Dropped broker state change after shutdown: {}.", what);
    }
  }

  /** Waits until every change submitted so far is written; for tests and orderly shutdown. */
  public void awaitWritten() {
    try {
      thread.submit(() -> { }).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Broker state writer did not catch up within 30 s.", e);
    }
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("Broker state writer still had changes to write after 30 s; they are lost.");
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.shutdownNow();
    }
  }
}
