package io.flotilla.server;

import io.flotilla.core.service.ProvisioningWork;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works the provisioning jobs on a thread of its own, a chunk after another, as long as there are unfinished jobs
 * (also those a previous run of the server left: they resume where they stopped). Woken when a job is submitted;
 * otherwise it looks every few seconds, for jobs submitted on other nodes.
 */
final class ProvisioningJobRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProvisioningJobRunner.class);
  private static final long IDLE_SECONDS = 5;

  private final ProvisioningWork work;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean paused;
  private boolean wakeUp;

  ProvisioningJobRunner(ProvisioningWork work) {
    this.work = work;
    this.thread = Thread.ofPlatform().name("provisioning-jobs").daemon().start(this::run);
  }

  /** Looks for work now. */
  void wake() {
    lock.lock();
    try {
      wakeUp = true;
      woken.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Stops taking chunks until {@link #resume()} (the chunk under way finishes); for tests that step jobs. */
  void pause() {
    paused = true;
  }

  /** Works one chunk on the caller's thread while paused; false when there was nothing to do. */
  boolean step() {
    if (!paused) {
      throw new IllegalStateException("pause the runner before stepping it");
    }
    return work.workOnce();
  }

  void resume() {
    paused = false;
    wake();
  }

  private void run() {
    while (!closed) {
      boolean worked = false;
      if (!paused) {
        try {
          worked = work.workOnce();
        } catch (RuntimeException e) {
          if (closed) {
            return;
          }
          LOG.warn("Working a chunk of a provisioning job failed; it is tried again in {} s", IDLE_SECONDS, e);
        }
      }
      if (!worked) {
        idle();
      }
    }
  }

  private void idle() {
    lock.lock();
    try {
      if (!wakeUp && !closed) {
        woken.await(IDLE_SECONDS, TimeUnit.SECONDS);
      }
      wakeUp = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    wake();
    thread.join(TimeUnit.SECONDS.toMillis(30));
  }
}
