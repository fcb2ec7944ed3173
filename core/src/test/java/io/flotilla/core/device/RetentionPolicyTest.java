package io.flotilla.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.error.FieldError;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.telemetry.Tier;
import io.flotilla.core.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

  /** The default keeps raw points 30 days, 1-minute rollups 90 days and 1-hour rollups two years. */
  @Test
  void defaultKeepsThirtyNinetyAndSevenHundredThirtyDays() {
    assertThat(RetentionPolicy.DEFAULT).isEqualTo(new RetentionPolicy(30, 90, 730));
    assertThat(Tier.RAW.keptBy(RetentionPolicy.DEFAULT)).isEqualTo(Duration.ofDays(30));
    assertThat(Tier.MINUTE.keptBy(RetentionPolicy.DEFAULT)).isEqualTo(Duration.ofDays(90));
    assertThat(Tier.HOUR.keptBy(RetentionPolicy.DEFAULT)).isEqualTo(Duration.ofDays(730));
  }

  /** Tiers may be kept equally long, and the limits themselves are allowed. */
  @Test
  void equalTiersAndTheLimitsAreAllowed() {
    assertThat(new RetentionPolicy(1, 1, 1).hour()).isEqualTo(Duration.ofDays(1));
    assertThat(new RetentionPolicy(1, 1, RetentionPolicy.MAX_DAYS).hourDays()).isEqualTo(36_500);
  }

  /** Every tier out of range is named at once, with the range allowed. */
  @Test
  void daysOutOfRangeAreEachNamedWithTheRange() {
    assertThatThrownBy(() -> new RetentionPolicy(0, -1, 36_501))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).containsExactly(
            new FieldError("rawDays", "is 0 but must be a whole number of days from 1 to 36500"),
            new FieldError("minuteDays", "is -1 but must be a whole number of days from 1 to 36500"),
            new FieldError("hourDays", "is 36501 but must be a whole number of days from 1 to 36500")));
  }

  /** A rollup tier kept shorter than the finer tier it answers for is refused, saying why. */
  @Test
  void coarserTierKeptShorterThanTheFinerOneIsRefused() {
    assertThatThrownBy(() -> new RetentionPolicy(100, 90, 730))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).containsExactly(
            new FieldError("minuteDays", "is 90 but must be at least rawDays (100): the 1-minute rollups answer "
                + "for raw points once those have expired")));
    assertThatThrownBy(() -> new RetentionPolicy(30, 90, 60))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("hourDays: is 60 but must be at least minuteDays (90)");
  }

  /** A profile without a retention of its own shows the default as the one that applies. */
  @Test
  void profileWithoutItsOwnRetentionShowsTheDefault() {
    Instant t0 = Instant.parse("2025-06-01T00:00:00Z");
    DeviceProfile plain = new DeviceProfile(new TenantId("acme"), "thermo", "Thermo", "", Optional.empty(),
        Json.object(), Map.of(), Optional.empty(), t0, t0, 1);
    DeviceProfile brief = new DeviceProfile(new TenantId("acme"), "probe", "Probe", "", Optional.empty(),
        Json.object(), Map.of(), Optional.of(new RetentionPolicy(1, 7, 30)), t0, t0, 1);

    assertThat(plain.effectiveRetention()).isEqualTo(RetentionPolicy.DEFAULT);
    assertThat(EntityJson.profile(plain).path("retention").toString())
        .isEqualTo("{\"rawDays\":30,\"minuteDays\":90,\"hourDays\":730}");
    assertThat(EntityJson.profile(brief).path("retention").toString())
        .isEqualTo("{\"rawDays\":1,\"minuteDays\":7,\"hourDays\":30}");
  }
}
