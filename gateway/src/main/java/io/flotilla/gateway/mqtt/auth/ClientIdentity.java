package io.flotilla.gateway.mqtt.auth;

import io.flotilla.core.provisioning.ProvisioningClaim;
import java.util.Objects;
import java.util.Optional;

/**
 * Who an authenticated client is: the tenant whose topic space it lives in, what kind of principal it
 * is, and for devices the device id that fixes its topic namespace {@code devices/{deviceId}/#} and the
 * device profile it had when it connected (tenant topic rules may be scoped to a profile).
 *
 * @param principal a stable name for logs and audit (device id, token id, user name); never a secret
 * @param profileId the device's profile, read at CONNECT; empty for other kinds, and for devices of brokers
 *     that do not know profiles
 * @param credentialId the registry credential a device connected with (its certificate or token); empty for other
 *     kinds and for brokers that do not know credentials
 * @param claim for a {@link Kind#PROVISIONING PROVISIONING} client (and only for one), the enrollment it proved
 *     membership of; its {@code principal} is then its client id, which names its response topics
 */
public record ClientIdentity(String tenant, Kind kind, String principal, Optional<String> deviceId,
    Optional<String> profileId, Optional<String> credentialId, Optional<ProvisioningClaim> claim) {

  /** The kinds of principal the broker tells apart for authorization. */
  public enum Kind {
    /** A registered device; confined to its own namespace. */
    DEVICE,
    /** An application holding an API token; may use every topic of its tenant. */
    APPLICATION,
    /** An application whose API token may only read (the viewer role): subscribes anywhere, never publishes. */
    READ_ONLY_APPLICATION,
    /** A client without credentials (development setups); never touches device topics. */
    ANONYMOUS,
    /**
     * A client that proved membership of an enrollment group (a claim certificate or a symmetric-key proof): it
     * may publish {@code $provisioning/register} and subscribe under {@code $provisioning/responses/{its client
     * id}/}, nothing else.
     */
    PROVISIONING
  }

  public ClientIdentity {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(credentialId, "credentialId");
    Objects.requireNonNull(claim, "claim");
    if (tenant.isEmpty()) {
      throw new IllegalArgumentException("tenant must not be empty");
    }
    if (kind == Kind.DEVICE && deviceId.isEmpty()) {
      throw new IllegalArgumentException("a DEVICE identity needs its deviceId");
    }
    if (kind != Kind.DEVICE && (profileId.isPresent() || credentialId.isPresent())) {
      throw new IllegalArgumentException("only a DEVICE identity has a profile and a credential");
    }
    if (claim.isPresent() != (kind == Kind.PROVISIONING)) {
      throw new IllegalArgumentException("a PROVISIONING identity, and only one, has a claim");
    }
  }

  /** An identity without a known credential or a provisioning claim. */
  public ClientIdentity(String tenant, Kind kind, String principal, Optional<String> deviceId,
      Optional<String> profileId) {
    this(tenant, kind, principal, deviceId, profileId, Optional.empty(), Optional.empty());
  }

  /** A device whose profile is not known; profile-scoped topic rules do not apply to it. */
  public static ClientIdentity device(String tenant, String deviceId) {
    return new ClientIdentity(tenant, Kind.DEVICE, deviceId, Optional.of(deviceId), Optional.empty());
  }

  /** A registered device of the profile {@code profileId}. */
  public static ClientIdentity device(String tenant, String deviceId, String profileId) {
    return new ClientIdentity(tenant, Kind.DEVICE, deviceId, Optional.of(deviceId), Optional.of(profileId));
  }

  /** A registered device of the profile {@code profileId} that connected with the credential {@code credentialId}. */
  public static ClientIdentity device(String tenant, String deviceId, String profileId, String credentialId) {
    return new ClientIdentity(tenant, Kind.DEVICE, deviceId, Optional.of(deviceId), Optional.of(profileId),
        Optional.of(credentialId), Optional.empty());
  }

  public static ClientIdentity application(String tenant, String principal) {
    return new ClientIdentity(tenant, Kind.APPLICATION, principal, Optional.empty(), Optional.empty());
  }

  public static ClientIdentity readOnlyApplication(String tenant, String principal) {
    return new ClientIdentity(tenant, Kind.READ_ONLY_APPLICATION, principal, Optional.empty(), Optional.empty());
  }

  /** A provisioning client, known by its client id, that proved {@code claim}. */
  public static ClientIdentity provisioning(String clientId, ProvisioningClaim claim) {
    return new ClientIdentity(claim.tenant().value(), Kind.PROVISIONING, clientId, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(claim));
  }

  public static ClientIdentity anonymous(String tenant) {
    return new ClientIdentity(tenant, Kind.ANONYMOUS, "anonymous", Optional.empty(), Optional.empty());
  }
}
