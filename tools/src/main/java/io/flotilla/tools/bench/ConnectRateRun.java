package io.flotilla.tools.bench;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.mqtt.MqttMessage;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Connects/s: {@code concurrency} lanes that each connect, wait for CONNACK, send DISCONNECT and
 * close, then start over, until {@code count} connections were made (or, for a warm-up, until
 * time is up). The rate is completed connections (CONNACK received) over the wall-clock time of the
 * whole batch; the latency is from starting the TCP connect to CONNACK, TLS handshake included.
 */
final class ConnectRateRun {
  /** The share of failed connections at which a batch gives up. */
  private static final double MAX_FAILURE_SHARE = 0.01;

  private final MqttLoadClient client;
  private final String clientIdPrefix;

  /** Opens the {@code n}-th connection of a batch; the future completes at CONNACK. Never blocks. */
  @FunctionalInterface
  interface Dialer {
    CompletableFuture<Channel> dial(int n);
  }

  ConnectRateRun(MqttLoadClient client, String clientIdPrefix) {
    this.client = client;
    this.clientIdPrefix = clientIdPrefix;
  }

  private Dialer anonymous(InetSocketAddress broker, boolean tls) {
    return n -> client.connect(broker, tls, clientIdPrefix + n, 0, MqttSessionListener.IGNORE);
  }

  /** What one batch measured. */
  record Result(int connected, int failed, Duration elapsed, LatencyRecorder latencies, Optional<String> firstFailure) {
    double perSecond() {
      return connected / (elapsed.toNanos() / 1e9);
    }
  }

  /**
   * Makes {@code count} connections and returns when every one has completed or failed.
   *
   * @throws IllegalStateException if more than 1 % of them failed, or the batch took longer than
   *     {@code timeout}, with the first failure
   */
  Result run(InetSocketAddress broker, boolean tls, int count, int concurrency, Duration timeout) {
    return run(anonymous(broker, tls), count, concurrency, timeout);
  }

  /** {@link #run(InetSocketAddress, boolean, int, int, Duration)} with connections {@code dialer} opens. */
  Result run(Dialer dialer, int count, int concurrency, Duration timeout) {
    return batch(dialer, count, Long.MAX_VALUE, concurrency, timeout);
  }

  /** Connects and disconnects for {@code duration}, to warm up the broker and the generator; not measured. */
  void warmUp(InetSocketAddress broker, boolean tls, Duration duration, int concurrency) {
    warmUp(anonymous(broker, tls), duration, concurrency);
  }

  void warmUp(Dialer dialer, Duration duration, int concurrency) {
    if (!duration.isZero()) {
      batch(dialer, Integer.MAX_VALUE, System.nanoTime() + duration.toNanos(), concurrency, duration.plusSeconds(30));
    }
  }

  private Result batch(Dialer dialer, int count, long deadline, int concurrency, Duration timeout) {
    int lanes = Math.min(concurrency, count);
    Batch batch = new Batch(dialer, count, deadline, lanes);
    long start = System.nanoTime();
    for (int i = 0; i < lanes; i++) {
      batch.next();
    }
    try {
      batch.done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      batch.stop.set(true);
      throw new IllegalStateException("only " + batch.connected.get() + " of " + count + " connections were made"
          + " within " + timeout.toSeconds() + " s" + batch.failureSuffix());
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      batch.stop.set(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    Duration elapsed = Duration.ofNanos(Math.max(1, batch.lastCompletion.get() - start));
    synchronized (batch.latencies) {
      return new Result(batch.connected.get(), batch.failed.get(), elapsed, batch.latencies,
          Optional.ofNullable(batch.firstFailure.get()));
    }
  }

  /** The state of one batch, shared by its lanes, which run on the client's event loops. */
  private final class Batch {
    final Dialer dialer;
    final int count;
    final long deadline;
    final int lanes;
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger finishedLanes = new AtomicInteger();
    final AtomicLong lastCompletion = new AtomicLong();
    final AtomicReference<String> firstFailure = new AtomicReference<>();
    final AtomicBoolean stop = new AtomicBoolean();
    final LatencyRecorder latencies = new LatencyRecorder();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Batch(Dialer dialer, int count, long deadline, int lanes) {
      this.dialer = dialer;
      this.count = count;
      this.deadline = deadline;
      this.lanes = lanes;
    }

    /** Starts this lane's next connection, or ends the lane when the batch is complete. */
    void next() {
      boolean over = stop.get() || (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0);
      int n = over ? count : started.getAndIncrement();
      if (n >= count) {
        if (finishedLanes.incrementAndGet() == lanes) {
          done.complete(null);
        }
        return;
      }
      long begin = System.nanoTime();
      dialer.dial(n).whenComplete((channel, error) -> completed(channel, error, begin));
    }

    private void completed(Channel channel, Throwable error, long begin) {
      long now = System.nanoTime();
      if (error == null) {
        synchronized (latencies) {
          latencies.record(now - begin);
        }
        connected.incrementAndGet();
        lastCompletion.accumulateAndGet(now, Math::max);
        channel.writeAndFlush(MqttMessage.DISCONNECT).addListener(ChannelFutureListener.CLOSE);
        next();
        return;
      }
      firstFailure.compareAndSet(null, String.valueOf(rootCause(error).getMessage()));
      lastCompletion.accumulateAndGet(now, Math::max);
      if (failed.incrementAndGet() > Math.max(10, Math.min(count, 1_000_000) * MAX_FAILURE_SHARE)) {
        stop.set(true);
        done.completeExceptionally(new IllegalStateException(failed.get() + " connections failed"
            + failureSuffix()));
      }
      // A failure may come straight from next(), on its own stack: go on from another thread, a little later.
      CompletableFuture.runAsync(this::next, CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS));
    }

    String failureSuffix() {
      String first = firstFailure.get();
      return first == null ? "" : "; first failure: " + first;
    }
  }

  static Throwable rootCause(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
