package io.flotilla.gateway.mqtt.protocol;

import io.flotilla.gateway.mqtt.BrokerConfig;

/**
 * Two token buckets of one connection, for the PUBLISH packets and bytes it sends: each holds at most
 * one second's worth and refills at the configured rate. A packet always takes its tokens, so a bucket
 * may go into debt; the connection then stops reading until the debt is repaid (back-pressure). A debt
 * beyond {@link BrokerConfig#rateLimitDisconnectFactor()} seconds' worth is a flood. Used only on the
 * connection's event loop; created on its first PUBLISH, so idle connections do not pay for it.
 */
final class PublishRateLimiter {

  /** What {@link #charge} returns when the client is past the hard limit. */
  static final long OVER_HARD_LIMIT = -1;

  private final BrokerConfig config;
  private double messageTokens;
  private double byteTokens;
  private long lastNanos;

  PublishRateLimiter(BrokerConfig config, long nowNanos) {
    this.config = config;
    this.messageTokens = config.maxPublishRate();
    this.byteTokens = config.maxPublishBytesRate();
    this.lastNanos = nowNanos;
  }

  static boolean enabled(BrokerConfig config) {
    return config.maxPublishRate() > 0 || config.maxPublishBytesRate() > 0;
  }

  /**
   * Takes the tokens of one PUBLISH of {@code bytes} bytes. Returns 0 when the client is within its
   * rates, how many nanoseconds to stop reading when it is in debt, or {@link #OVER_HARD_LIMIT}.
   */
  long charge(long bytes, long nowNanos) {
    double seconds = Math.max(0, nowNanos - lastNanos) / 1e9;
    lastNanos = nowNanos;
    double messageRate = config.maxPublishRate();
    double byteRate = config.maxPublishBytesRate();
    double waitSeconds = 0;
    if (messageRate > 0) {
      messageTokens = Math.min(messageRate, messageTokens + seconds * messageRate) - 1;
      waitSeconds = -messageTokens / messageRate;
    }
    if (byteRate > 0) {
      byteTokens = Math.min(byteRate, byteTokens + seconds * byteRate) - bytes;
      waitSeconds = Math.max(waitSeconds, -byteTokens / byteRate);
    }
    int hard = config.rateLimitDisconnectFactor();
    if (hard > 0 && waitSeconds > hard) {
      return OVER_HARD_LIMIT;
    }
    return waitSeconds <= 0 ? 0 : Math.max(1, (long) Math.ceil(waitSeconds * 1e9));
  }
}
