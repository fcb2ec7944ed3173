package io.flotilla.core.store;

import io.flotilla.core.device.DeviceCredential;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Device credentials. Lookups by secret hash and by fingerprint cross tenants: they are globally unique. */
public interface CredentialRepository {
  /** Throws {@link DuplicateKeyException} when the id, secret hash or fingerprint exists already. */
  void insert(DeviceCredential credential);

  Optional<DeviceCredential> find(TenantId tenant, String id);

  Optional<DeviceCredential> findBySecretHash(String secretHash);

  Optional<DeviceCredential> findByFingerprint(String fingerprint);

  /** The device's credentials, oldest first. */
  List<DeviceCredential> list(TenantId tenant, DeviceId device);

  /** Marks the credential revoked at {@code at}; false when it does not exist or was revoked already. */
  boolean revoke(TenantId tenant, String id, Instant at);
}
