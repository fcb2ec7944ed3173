package io.flotilla.gateway.twin;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs work on an executor one after another per key and concurrently across keys: a device's twin requests are
 * applied in the order it sent them, while devices never wait for each other.
 */
final class PerKeyQueue {
  private final Executor executor;
  private final Map<String, CompletableFuture<?>> tails = new HashMap<>();

  PerKeyQueue(Executor executor) {
    this.executor = executor;
  }

  <T> CompletableFuture<T> submit(String key, Supplier<T> work) {
    synchronized (tails) {
      CompletableFuture<?> previous = tails.getOrDefault(key, CompletableFuture.completedFuture(null));
      CompletableFuture<T> next = previous.handleAsync((ignored, error) -> work.get(), executor);
      tails.put(key, next);
      next.whenComplete((ignored, error) -> {
        synchronized (tails) {
          tails.remove(key, next);
        }
      });
      return next;
    }
  }
}
