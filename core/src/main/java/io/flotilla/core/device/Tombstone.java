package io.flotilla.core.device;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What remains of a device id once the device was decommissioned or deleted: the id cannot be given to a new
 * device (creation, import, just-in-time registration all check it), so that a new device never silently
 * inherits an old one's history, audit trail, certificates on the CRL or telemetry.
 *
 * @param reason why the id is tombstoned
 * @param at when the device was decommissioned (or deleted, for {@link Reason#DELETED})
 * @param deletedAt when the device record itself was deleted, if it was
 * @param purge what was decided for its telemetry
 * @param credentialsRevoked tokens and certificates revoked by the decommissioning, certificates included
 * @param certificatesRevoked of those, certificates the tenant CA issued (now on its CRL)
 * @param groupsLeft static groups the device was removed from
 * @param pointsPurged telemetry points deleted (0 when the purge is left to retention)
 */
public record Tombstone(TenantId tenant, DeviceId device, Reason reason, Instant at, Optional<Instant> deletedAt,
    PurgeMode purge, int credentialsRevoked, int certificatesRevoked, int groupsLeft, long pointsPurged) {
  public Tombstone {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(deletedAt, "deletedAt");
    Objects.requireNonNull(purge, "purge");
    if (credentialsRevoked < 0 || certificatesRevoked < 0 || groupsLeft < 0 || pointsPurged < 0) {
      throw new IllegalArgumentException("a tombstone's counts are never negative");
    }
  }

  /** Why an id is tombstoned. */
  public enum Reason {
    /** Through the decommissioning operation. */
    DECOMMISSIONED,
    /** The device was deleted without being decommissioned first. */
    DELETED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Reason fromWire(String value) {
      return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** The same tombstone, its device record deleted at {@code when} (the first deletion counts). */
  public Tombstone deleted(Instant when) {
    return new Tombstone(tenant, device, reason, at, Optional.of(deletedAt.orElse(when)), purge, credentialsRevoked,
        certificatesRevoked, groupsLeft, pointsPurged);
  }

  /** The same tombstone after a purge that deleted {@code points} more. */
  public Tombstone purged(long points) {
    return new Tombstone(tenant, device, reason, at, deletedAt, PurgeMode.NOW, credentialsRevoked, certificatesRevoked,
        groupsLeft, pointsPurged + points);
  }

  /** Why the id cannot be used, for a 409's message. */
  public String describe() {
    return "device id '" + device.value() + "' is tombstoned: its device was " + reason.wireName() + " at " + at
        + "; ids of retired devices are never reused, so choose another id (a tenant admin can release it with "
        + "DELETE /api/v1/devices/" + device.value() + "?forgetId=true)";
  }
}
