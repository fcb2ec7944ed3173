package io.flotilla.server;

import io.flotilla.core.service.CertificateExpiryService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks for device certificates about to expire every {@code ca.expiry-check-minutes} (first a minute after the
 * start) on a thread of its own; each is warned of once, whatever the number of restarts or nodes.
 */
final class CertificateExpiryJob implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateExpiryJob.class);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("certificate-expiry").daemon().factory());

  CertificateExpiryJob(CertificateExpiryService expiry, long intervalMinutes) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        expiry.runOnce();
      } catch (RuntimeException e) {
        LOG.warn("The check for expiring device certificates failed; it runs again in {} minutes", intervalMinutes, e);
      }
    }, 1, intervalMinutes, TimeUnit.MINUTES);
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(30, TimeUnit.SECONDS);
  }
}
