package io.flotilla.tools.bench;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Memory per idle connected device: on a fresh broker, a few connections that come and go, then
 * the broker's memory (after a full GC for a JVM), then {@code count} clients that connect
 * (clean session, a long keep-alive that they honour with PINGREQ) and stay idle, a pause for the
 * broker to settle, and its memory again. The difference over {@code count} is the cost of one idle
 * device. Connections open {@code concurrency} at a time, so the broker's accept backlog never
 * overflows.
 */
final class IdleConnectionsRun {
  private static final int WARM_UP_CONNECTIONS = 100;
  private final MqttLoadClient client;
  private final String tag;

  IdleConnectionsRun(MqttLoadClient client, String tag) {
    this.client = client;
    this.tag = tag;
  }

  record Settings(int count, int concurrency, int keepAliveSeconds, Duration settle, Duration timeout) {}

  /**
   * What one run measured.
   *
   * @param connectsPerSecond how fast the idle connections were opened, concurrency-limited
   */
  record Result(int count, RunningBroker.MemorySample before, RunningBroker.MemorySample after,
      double connectsPerSecond) {
    double residentPerConnection() {
      return (after.residentBytes() - before.residentBytes()) / (double) count;
    }

    Optional<Double> heapPerConnection() {
      if (before.heapBytes().isEmpty() || after.heapBytes().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of((after.heapBytes().getAsLong() - before.heapBytes().getAsLong()) / (double) count);
    }
  }

  Result run(RunningBroker broker, Settings settings) throws BrokerUnavailableException {
    // A few connections first, so that first-time costs (code paths, pools) are not counted per connection;
    // only a few, because a broker reuses the memory they free for the idle ones, which would then look cheaper.
    new ConnectRateRun(client, "fb" + tag + "w").run(broker.plainAddress(), false,
        Math.max(1, Math.min(WARM_UP_CONNECTIONS, settings.count() / 10)), Math.min(settings.concurrency(), 16),
        settings.timeout());
    RunningBroker.MemorySample before = broker.memory();
    ConcurrentLinkedQueue<Channel> open = new ConcurrentLinkedQueue<>();
    try {
      long start = System.nanoTime();
      connectAll(broker.plainAddress(), settings, open);
      double rate = settings.count() / ((System.nanoTime() - start) / 1e9);
      sleep(settings.settle());
      long closed = open.stream().filter(c -> !c.isActive()).count();
      if (closed > 0) {
        throw new IllegalStateException(closed + " of " + settings.count() + " idle connections were closed by the"
            + " broker while idle");
      }
      RunningBroker.MemorySample after = broker.memory();
      return new Result(settings.count(), before, after, rate);
    } finally {
      open.forEach(Channel::close);
      for (Channel channel : open) {
        channel.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
    }
  }

  private void connectAll(InetSocketAddress broker, Settings settings, ConcurrentLinkedQueue<Channel> open) {
    Semaphore slots = new Semaphore(settings.concurrency());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CompletableFuture<?>[] all = new CompletableFuture<?>[settings.count()];
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    for (int i = 0; i < settings.count() && failure.get() == null; i++) {
      acquire(slots, deadline, i, settings.count());
      all[i] = client.connect(broker, false, "fb" + tag + "i" + i, settings.keepAliveSeconds(),
          MqttSessionListener.IGNORE).whenComplete((channel, error) -> {
            slots.release();
            if (error == null) {
              open.add(channel);
            } else {
              failure.compareAndSet(null, ConnectRateRun.rootCause(error));
            }
          });
    }
    if (failure.get() == null) {
      try {
        CompletableFuture.allOf(all).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException ignored) {
        // recorded in failure
      } catch (TimeoutException e) {
        throw new IllegalStateException("only " + open.size() + " of " + settings.count()
            + " idle connections were made within " + settings.timeout().toSeconds() + " s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    Throwable error = failure.get();
    if (error != null) {
      throw new IllegalStateException("after " + open.size() + " of " + settings.count()
          + " idle connections, one failed: " + error.getMessage(), error);
    }
  }

  private static void acquire(Semaphore slots, long deadline, int made, int count) {
    try {
      if (!slots.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("only " + made + " of " + count + " idle connections were made in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
