package io.flotilla.core.provisioning;

import io.flotilla.core.ca.ProvisioningTemplate;
import io.flotilla.core.ca.SealedKey;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A set of devices that may provision themselves by claim: they prove membership by the group's attestation,
 * ask for a device id that starts with {@code deviceIdPrefix}, and are registered by {@code template} with the
 * credential kind the group issues.
 *
 * @param symmetricKey the group key sealed with the master key; present exactly for {@link Attestation#SYMMETRIC_KEY}
 * @param requestsPerMinute how many provisioning requests the group accepts a minute (a token bucket)
 * @param deviceId for an individual enrollment, the one device id it provisions (then the prefix is unused)
 * @param webhook the tenant's pre-provisioning hook, asked to allow, deny or amend each request
 */
public record EnrollmentGroup(TenantId tenant, String id, String name, Attestation attestation,
    Optional<SealedKey> symmetricKey, ProvisioningTemplate template, IssuedCredential credential,
    String deviceIdPrefix, Optional<String> deviceId, boolean active, int requestsPerMinute,
    Optional<Webhook> webhook, Instant createdAt,
    Instant updatedAt, long version) {
  public static final int MAX_REQUESTS_PER_MINUTE = 6_000;

  public EnrollmentGroup {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(attestation, "attestation");
    Objects.requireNonNull(symmetricKey, "symmetricKey");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(deviceIdPrefix, "deviceIdPrefix");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(webhook, "webhook");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (symmetricKey.isPresent() != (attestation == Attestation.SYMMETRIC_KEY)) {
      throw new IllegalArgumentException("a group has a symmetric key exactly when it attests by symmetric key");
    }
    if (requestsPerMinute < 1 || requestsPerMinute > MAX_REQUESTS_PER_MINUTE) {
      throw new IllegalArgumentException("requestsPerMinute must be from 1 to " + MAX_REQUESTS_PER_MINUTE);
    }
  }

  /** The changed group, one version on. */
  public EnrollmentGroup with(String nextName, ProvisioningTemplate nextTemplate, String nextPrefix,
      boolean nextActive, int nextRate, Optional<Webhook> nextWebhook, Instant at) {
    return new EnrollmentGroup(tenant, id, nextName, attestation, symmetricKey, nextTemplate, credential, nextPrefix,
        deviceId, nextActive, nextRate, nextWebhook, createdAt, at, version + 1);
  }

  /** Whether the group provisions {@code id}: the individual enrollment's one id, or an id with the prefix. */
  public boolean admits(String id) {
    return deviceId.map(id::equals).orElseGet(() -> id.startsWith(deviceIdPrefix));
  }

  /** What binds the webhook's secret to the group when sealed. */
  public String webhookSealingContext() {
    return webhookSealingContext(tenant, id);
  }

  public static String webhookSealingContext(TenantId tenant, String id) {
    return "enrollment-group-webhook/" + tenant.value() + "/" + id;
  }

  /**
   * The pre-provisioning hook: requests are POSTed to {@code url} signed with HMAC-SHA256 under the secret, which
   * is kept sealed (the platform must sign with it again).
   */
  public record Webhook(String url, SealedKey secret) {
    public Webhook {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(secret, "secret");
    }
  }

  /** What binds the group's key to it when sealed: {@code enrollment-group/<tenant>/<id>}. */
  public String sealingContext() {
    return sealingContext(tenant, id);
  }

  public static String sealingContext(TenantId tenant, String id) {
    return "enrollment-group/" + tenant.value() + "/" + id;
  }

  /** How members prove they belong. */
  public enum Attestation {
    /** A certificate shared by a production batch, registered with the group (matched by fingerprint). */
    CLAIM_CERTIFICATE("claimCertificate"),
    /** A token signed with a device key derived from the group key: HMAC-SHA256(group key, device id). */
    SYMMETRIC_KEY("symmetricKey");

    private final String wire;

    Attestation(String wire) {
      this.wire = wire;
    }

    public String wireName() {
      return wire;
    }

    public static Optional<Attestation> fromWire(String value) {
      for (Attestation a : values()) {
        if (a.wire.equals(value)) {
          return Optional.of(a);
        }
      }
      return Optional.empty();
    }
  }

  /** The credential a provisioned device receives. */
  public enum IssuedCredential {
    /** A certificate from the tenant CA for the key of the CSR the device sends. */
    CERTIFICATE,
    /** A device token ({@code fdt_…}). */
    TOKEN;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<IssuedCredential> fromWire(String value) {
      for (IssuedCredential c : values()) {
        if (c.wireName().equals(value)) {
          return Optional.of(c);
        }
      }
      return Optional.empty();
    }
  }
}
