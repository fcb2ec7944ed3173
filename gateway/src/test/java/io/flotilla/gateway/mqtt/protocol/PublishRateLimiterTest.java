package io.flotilla.gateway.mqtt.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flotilla.gateway.mqtt.BrokerConfig;
import org.junit.jupiter.api.Test;

class PublishRateLimiterTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstOfOneSecondPassesThenTheClientWaitsForTokens() {
    PublishRateLimiter limiter = new PublishRateLimiter(BrokerConfig.defaults().withPublishRateLimit(10, 0), 0);
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.charge(100, 0)).isZero();
    }
    assertThat(limiter.charge(100, 0)).isCloseTo(SECOND / 10, within(1000L)); // one message in debt: 100 ms to repay
    assertThat(limiter.charge(100, SECOND / 10)).isCloseTo(SECOND / 10, within(1000L));
    assertThat(limiter.charge(100, 10 * SECOND)).isZero(); // refilled (to at most one second's worth)
  }

  @Test
  void bytesAreLimitedToo() {
    PublishRateLimiter limiter = new PublishRateLimiter(BrokerConfig.defaults().withPublishRateLimit(0, 1000), 0);
    assertThat(limiter.charge(1000, 0)).isZero();
    assertThat(limiter.charge(500, 0)).isCloseTo(SECOND / 2, within(1000L));
    assertThat(limiter.charge(500, SECOND)).isZero();
  }

  @Test
  void aDebtPastTheDisconnectFactorIsOverTheHardLimit() {
    BrokerConfig config = BrokerConfig.defaults().withPublishRateLimit(10, 0).withRateLimitDisconnectFactor(2);
    PublishRateLimiter limiter = new PublishRateLimiter(config, 0);
    for (int i = 0; i < 30; i++) {
      assertThat(limiter.charge(10, 0)).isGreaterThanOrEqualTo(0); // up to two seconds of debt
    }
    assertThat(limiter.charge(10, 0)).isEqualTo(PublishRateLimiter.OVER_HARD_LIMIT);
    BrokerConfig never = config.withRateLimitDisconnectFactor(0);
    PublishRateLimiter patient = new PublishRateLimiter(never, 0);
    for (int i = 0; i < 10; i++) {
      assertThat(patient.charge(10, 0)).isZero(); // the burst
    }
    for (int i = 0; i < 1000; i++) {
      assertThat(patient.charge(10, 0)).as("slowed, never disconnected").isPositive();
    }
  }

  @Test
  void unlimitedByDefaultOnlyWhenBothRatesAreZero() {
    assertThat(PublishRateLimiter.enabled(BrokerConfig.defaults())).isTrue();
    assertThat(PublishRateLimiter.enabled(BrokerConfig.defaults().withPublishRateLimit(0, 0))).isFalse();
  }

  @Test
  void tenantSlotsAreLimitedButTakeOversAlwaysGetOne() {
    TenantConnections tenants = new TenantConnections(2);
    assertThat(tenants.tryAcquire("a", false)).isTrue();
    assertThat(tenants.tryAcquire("a", false)).isTrue();
    assertThat(tenants.tryAcquire("a", false)).isFalse();
    assertThat(tenants.tryAcquire("b", false)).isTrue();
    assertThat(tenants.tryAcquire("a", true)).isTrue();
    tenants.release("a"); // the connection taken over closes
    assertThat(tenants.count("a")).isEqualTo(2);
    tenants.release("a");
    assertThat(tenants.tryAcquire("a", false)).isTrue();
    tenants.release("a");
    tenants.release("a");
    assertThat(tenants.count("a")).isZero();
    assertThat(new TenantConnections(0).tryAcquire("a", false)).isTrue();
  }
}
