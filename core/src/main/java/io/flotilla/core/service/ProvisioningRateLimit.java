package io.flotilla.core.service;

import io.flotilla.core.provisioning.EnrollmentGroup;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per enrollment group, in this node's memory: {@code requestsPerMinute} tokens at most, refilled
 * evenly over the minute. A cluster of n nodes lets a group through at most n times its rate.
 */
final class ProvisioningRateLimit {
  private final Clock clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  ProvisioningRateLimit(Clock clock) {
    this.clock = clock;
  }

  /** Takes one request's token; empty when taken, else the seconds until one is free. */
  OptionalLong take(EnrollmentGroup group) {
    Bucket bucket = buckets.computeIfAbsent(group.tenant().value() + "/" + group.id(),
        k -> new Bucket(group.requestsPerMinute(), clock.millis()));
    synchronized (bucket) {
      return bucket.take(group.requestsPerMinute(), clock.millis());
    }
  }

  private static final class Bucket {
    private double tokens;
    private long at;

    Bucket(int capacity, long now) {
      this.tokens = capacity;
      this.at = now;
    }

    OptionalLong take(int perMinute, long now) {
      tokens = Math.min(perMinute, tokens + (now - at) * perMinute / 60_000.0);
      at = now;
      if (tokens >= 1) {
        tokens -= 1;
        return OptionalLong.empty();
      }
      return OptionalLong.of((long) Math.ceil((1 - tokens) * 60.0 / perMinute));
    }
  }
}
