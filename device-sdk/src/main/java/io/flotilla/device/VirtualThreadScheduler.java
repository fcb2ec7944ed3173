package io.flotilla.device;

import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The executor the SDK hands to Paho and uses for its own timers: timed tasks (keep-alive pings,
 * reconnection delays) run on a small pool of platform threads; everything submitted to run now —
 * Paho's per-connection receiver, sender and callback loops, the SDK's command handlers — runs on a
 * virtual thread of its own. So ten thousand devices in one JVM need a handful of platform threads,
 * where Paho alone would start three or four per connection.
 */
final class VirtualThreadScheduler extends ScheduledThreadPoolExecutor {

  VirtualThreadScheduler(int timerThreads) {
    super(timerThreads, Thread.ofPlatform().daemon().name("flotilla-device-timer-", 0).factory());
    setRemoveOnCancelPolicy(true);
  }

  /** A scheduler for one device, or for many devices sharing it. */
  static ScheduledExecutorService create(int timerThreads) {
    return new VirtualThreadScheduler(timerThreads);
  }

  @Override
  public void execute(Runnable task) {
    if (isShutdown()) {
      throw new java.util.concurrent.RejectedExecutionException("the device scheduler is shut down");
    }
    Thread.ofVirtual().name("flotilla-device").start(task);
  }

  @Override
  public Future<?> submit(Runnable task) {
    FutureTask<Void> future = new FutureTask<>(task, null);
    execute(future);
    return future;
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    FutureTask<T> future = new FutureTask<>(task, result);
    execute(future);
    return future;
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    FutureTask<T> future = new FutureTask<>(task);
    execute(future);
    return future;
  }
}
