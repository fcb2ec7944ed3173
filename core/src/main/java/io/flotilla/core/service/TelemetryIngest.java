package io.flotilla.core.service;

import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.telemetry.RejectedTelemetry;
import io.flotilla.core.telemetry.TelemetryBatch;
import io.flotilla.core.telemetry.TelemetryBus;
import io.flotilla.core.telemetry.TelemetryCheck;
import io.flotilla.core.telemetry.TelemetryDoor;
import io.flotilla.core.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The one way telemetry enters the platform, whatever door it came through (MQTT, HTTP): check the
 * payload against its profile, hand accepted points to the bus, keep refused payloads in the dead-letter
 * store. Callers acknowledge the device only when {@link Outcome.Taken#durable()} completes.
 *
 * <p>The door's caller has authenticated the device and speaks for it; there is no principal here.
 * Called on network threads: nothing here blocks but a profile read every few seconds per profile.
 */
public final class TelemetryIngest {

  /** Bytes of a refused payload kept in the dead-letter record, for diagnosis. */
  static final int KEPT_PAYLOAD_BYTES = 1024;

  private final ProfileCache profiles;
  private final TelemetryDoor door;
  private final TelemetryBus bus;
  private final Clock clock;
  private final RejectionCounter rejections;

  /** @param profiles where devices' profiles are looked up, shared with the telemetry queries */
  public TelemetryIngest(ProfileCache profiles, TelemetryDoor door, TelemetryBus bus, Clock clock,
      RejectionCounter rejections) {
    this.profiles = profiles;
    this.door = door;
    this.bus = bus;
    this.clock = clock;
    this.rejections = rejections;
  }

  /** Told of every refused payload, to count it per tenant and profile. */
  @FunctionalInterface
  public interface RejectionCounter {
    void rejected(TenantId tenant, String profileId, String transport);
  }

  /** What became of one message. */
  public sealed interface Outcome {
    /** Accepted and queued; acknowledge the device when {@code durable} completes. */
    record Taken(CompletableFuture<Void> durable, int points) implements Outcome {
    }

    /** Refused at the door for good; tell the device why. */
    record Refused(TelemetryCheck.Rejected rejection) implements Outcome {
    }
  }

  /**
   * Checks and queues one message of an authenticated device.
   *
   * @param transport {@code mqtt} or {@code http}, for the dead-letter record
   */
  public Outcome ingest(TenantId tenant, String deviceId, String profileId, String transport, byte[] payload) {
    Instant receivedAt = clock.instant();
    DeviceProfile profile = profiles.get(tenant, profileId);
    TelemetryCheck check = door.check(profile, payload, receivedAt);
    return switch (check) {
      case TelemetryCheck.Accepted accepted -> {
        var points = accepted.toPoints(tenant, deviceId, profileId, receivedAt);
        yield new Outcome.Taken(bus.submit(TelemetryBatch.of(tenant, deviceId, points)), points.size());
      }
      case TelemetryCheck.Rejected rejected -> {
        rejections.rejected(tenant, profileId, transport);
        // Keeping the record is best effort: the device is refused either way, and must not wait for it.
        bus.submit(TelemetryBatch.rejected(new RejectedTelemetry(0, tenant, deviceId, profileId, transport,
            receivedAt, rejected.reason(), excerpt(payload), payload.length)));
        yield new Outcome.Refused(rejected);
      }
    };
  }

  /** True while the bus is backed up: doors should slow their clients down. */
  public boolean saturated() {
    return bus.saturated();
  }

  public void whenUnsaturated(Runnable task) {
    bus.whenUnsaturated(task);
  }

  private static String excerpt(byte[] payload) {
    int n = Math.min(payload.length, KEPT_PAYLOAD_BYTES);
    // Decoding replaces malformed bytes, so a binary payload still yields readable text.
    return new String(payload, 0, n, StandardCharsets.UTF_8).replace('\0', '\uFFFD');
  }
}
