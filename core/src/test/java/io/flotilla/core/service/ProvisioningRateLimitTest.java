package io.flotilla.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.ca.ProvisioningTemplate;
import io.flotilla.core.ca.ProvisioningTemplate.Approval;
import io.flotilla.core.ca.ProvisioningTemplate.IdSource;
import io.flotilla.core.provisioning.EnrollmentGroup;
import io.flotilla.core.provisioning.EnrollmentGroup.Attestation;
import io.flotilla.core.provisioning.EnrollmentGroup.IssuedCredential;
import io.flotilla.core.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The per-group token bucket: a minute's worth at once, then refills evenly; refusals say when to retry. */
class ProvisioningRateLimitTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  @Test
  void aGroupGetsItsRatePerMinuteAndIsToldWhenToRetry() {
    ProvisioningRateLimit limit = new ProvisioningRateLimit(clock);
    EnrollmentGroup group = group("eg_1", 6);
    for (int i = 0; i < 6; i++) {
      assertThat(limit.take(group)).as("request " + i).isEmpty();
    }
    assertThat(limit.take(group)).hasValue(10);
    assertThat(limit.take(group("eg_2", 6))).as("another group has its own bucket").isEmpty();

    now = now.plusSeconds(10);
    assertThat(limit.take(group)).isEmpty();
    assertThat(limit.take(group)).isPresent();
  }

  private static EnrollmentGroup group(String id, int perMinute) {
    Instant t = Instant.EPOCH;
    return new EnrollmentGroup(new TenantId("acme"), id, id, Attestation.CLAIM_CERTIFICATE, Optional.empty(),
        new ProvisioningTemplate("meter", List.of(), Map.of(), IdSource.CN, Approval.AUTO, Optional.empty()),
        IssuedCredential.CERTIFICATE, "", Optional.empty(), true, perMinute, Optional.empty(), t, t, 1);
  }
}
