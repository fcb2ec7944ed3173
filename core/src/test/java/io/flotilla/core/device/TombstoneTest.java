package io.flotilla.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.error.ValidationException;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TombstoneTest {
  private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
  private static final Tombstone DECOMMISSIONED = new Tombstone(new TenantId("acme"), new DeviceId("pump-1"),
      Tombstone.Reason.DECOMMISSIONED, T0, Optional.empty(), PurgeMode.RETENTION, 2, 1, 1, 0);

  /** The refusal names the id, what happened to its device and when, and the way to release it. */
  @Test
  void describesWhyTheIdIsTaken() {
    assertThat(DECOMMISSIONED.describe()).contains("'pump-1'").contains("tombstoned")
        .contains("decommissioned at 2026-11-22T12:00:00Z").contains("?forgetId=true");
  }

  /** The first deletion counts; purges add up and mark the purge as done now. */
  @Test
  void deletionIsKeptOnceAndPurgesAddUp() {
    Tombstone deleted = DECOMMISSIONED.deleted(T0.plusSeconds(5)).deleted(T0.plusSeconds(9));
    assertThat(deleted.deletedAt()).contains(T0.plusSeconds(5));
    Tombstone purged = DECOMMISSIONED.purged(10).purged(3);
    assertThat(purged.purge()).isEqualTo(PurgeMode.NOW);
    assertThat(purged.pointsPurged()).isEqualTo(13);
    assertThat(purged.at()).isEqualTo(T0);
  }

  /** Counts are never negative. */
  @Test
  void negativeCountsAreRefused() {
    assertThatThrownBy(() -> new Tombstone(new TenantId("acme"), new DeviceId("pump-1"), Tombstone.Reason.DELETED,
        T0, Optional.empty(), PurgeMode.NOW, -1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Purge modes read from their wire names; anything else is refused naming the choices. */
  @Test
  void purgeModesParseFromTheWire() {
    assertThat(PurgeMode.fromWire("purge", "now")).isEqualTo(PurgeMode.NOW);
    assertThat(PurgeMode.fromWire("purge", "retention")).isEqualTo(PurgeMode.RETENTION);
    assertThatThrownBy(() -> PurgeMode.fromWire("purge", "later")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("now or retention");
  }
}
