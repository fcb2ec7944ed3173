package io.flotilla.core.ca;

import io.flotilla.core.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * A CA certificate a tenant brought and proved it holds the key of ("bring your own CA"). A device presenting a
 * certificate it signed, unknown so far, is registered in the tenant just in time by the template. Only the
 * certificate is held, never a key: the platform signs nothing with it.
 *
 * @param subject the CA's subject in RFC 2253 canonical form, matched against device certificates' issuers
 * @param keyFingerprint SHA-256 (hex) of the CA's public key; unique across tenants, so a CA belongs to one
 * @param fingerprint SHA-256 (hex) of the CA certificate's DER encoding
 * @param active whether it registers new devices; an inactive CA registers none
 */
public record RegisteredCa(TenantId tenant, String id, String certificatePem, String subject, String keyFingerprint,
    String fingerprint, Instant notBefore, Instant notAfter, ProvisioningTemplate template, boolean active,
    Instant createdAt, Instant updatedAt, long version) {
  public RegisteredCa {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(keyFingerprint, "keyFingerprint");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  public RegisteredCa with(ProvisioningTemplate nextTemplate, boolean nextActive, Instant at) {
    return new RegisteredCa(tenant, id, certificatePem, subject, keyFingerprint, fingerprint, notBefore, notAfter,
        nextTemplate, nextActive, createdAt, at, version + 1);
  }
}
