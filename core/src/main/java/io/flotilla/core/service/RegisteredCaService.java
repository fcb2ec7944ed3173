package io.flotilla.core.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.ca.CertificateChecks;
import io.flotilla.core.ca.ProvisioningTemplate;
import io.flotilla.core.ca.RegisteredCa;
import io.flotilla.core.device.Certificates;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tenants' own CAs ("bring your own CA"). A tenant proves it holds a CA's key the way AWS IoT asks: it takes a
 * one-time registration code, has its CA sign a "verification certificate" whose common name is that code, and
 * submits both certificates. Only the holder of the key can make that signature, and the code ties it to this
 * tenant and this moment. A registered, active CA lets devices it signed register themselves when they first
 * connect ({@link JustInTimeRegistration}), by its provisioning template.
 */
public final class RegisteredCaService {
  /** How long a registration code may be used. */
  public static final Duration CODE_VALIDITY = Duration.ofHours(1);
  static final String CODE_PREFIX = "reg_";
  static final Set<String> FIELDS = Set.of("caCertificatePem", "verificationCertificatePem", "template", "status");
  static final Set<String> PATCH_FIELDS = Set.of("template", "status");

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;

  public RegisteredCaService(RegistryStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
  }

  /** A code the tenant's CA puts as the common name of a verification certificate; valid once, for an hour. */
  public record RegistrationCode(String code, Instant expiresAt) {
    @Override
    public String toString() {
      return "RegistrationCode[until " + expiresAt + "]";
    }
  }

  public RegistrationCode newCode(Principal principal) {
    principal.require(Permission.CA_MANAGE);
    String code = TokenSecrets.newSecret(CODE_PREFIX);
    Instant now = clock.instant();
    Instant expiresAt = now.plus(CODE_VALIDITY);
    store.write(tx -> {
      tx.registeredCas().insertCode(principal.tenant(), TokenSecrets.hash(code), expiresAt, now);
      return null;
    });
    return new RegistrationCode(code, expiresAt);
  }

  public RegisteredCa register(Principal principal, ObjectNode body) {
    principal.require(Permission.CA_MANAGE);
    FieldReader r = FieldReader.of(body, FIELDS);
    Instant now = clock.instant();
    Optional<X509Certificate> ca = certificate(r, "caCertificatePem", "the CA certificate in PEM");
    Optional<X509Certificate> verification = certificate(r, "verificationCertificatePem",
        "a certificate your CA signed whose common name is a code from POST /api/v1/ca/registration-codes");
    Optional<ProvisioningTemplate> template = TemplateFields.read(r, "template");
    boolean active = status(r).orElse(true);
    ca.flatMap(c -> CertificateChecks.caProblem(c, now)).ifPresent(p -> r.error("caCertificatePem", p));
    Optional<String> code = Optional.empty();
    if (ca.isPresent() && verification.isPresent()) {
      X509Certificate v = verification.get();
      if (!CertificateChecks.signedBy(v, ca.get())) {
        r.error("verificationCertificatePem", "is not signed by the CA in caCertificatePem (its issuer must be the "
            + "CA's subject and its signature must verify with the CA's key)");
      }
      CertificateChecks.validityProblem(v, now).ifPresent(p -> r.error("verificationCertificatePem", p));
      code = CertificateChecks.commonName(v);
      if (code.isEmpty()) {
        r.error("verificationCertificatePem", "has no common name; make it CN=<registration code>");
      }
    }
    r.throwIfErrors();
    X509Certificate caCert = ca.orElseThrow();
    String codeHash = TokenSecrets.hash(code.orElseThrow());
    RegisteredCa registered = new RegisteredCa(principal.tenant(), TokenSecrets.newId("rca"),
        Certificates.pem(caCert), CertificateChecks.subject(caCert), CertificateChecks.keyFingerprint(caCert),
        Certificates.fingerprint(caCert), caCert.getNotBefore().toInstant(), caCert.getNotAfter().toInstant(),
        template.orElseThrow(), active, now, now, 1);
    return store.write(tx -> {
      TemplateFields.requireReferences(tx, principal.tenant(), registered.template(), "template");
      if (!tx.registeredCas().consumeCode(principal.tenant(), codeHash, now)) {
        throw new ValidationException("verificationCertificatePem", "its common name is not a registration code of "
            + "this tenant, or the code has expired or was used; get a new one from POST /api/v1/ca/registration-codes");
      }
      Optional<RegisteredCa> existing = tx.registeredCas().findByKeyFingerprint(registered.keyFingerprint());
      if (existing.isPresent()) {
        throw new ConflictException(existing.get().tenant().equals(principal.tenant())
            ? "this CA's key is registered already as " + existing.get().id()
            : "this CA's key is registered already by another tenant; a CA belongs to one tenant");
      }
      try {
        tx.registeredCas().insert(registered);
      } catch (DuplicateKeyException e) {
        throw new ConflictException("this CA's key is registered already; a CA belongs to one tenant");
      }
      audit.record(tx, principal, "ca.register", "registered-ca", registered.id(), AuditTrail.ABSENT,
          EntityJson.registeredCa(registered));
      return registered;
    });
  }

  public List<RegisteredCa> list(Principal principal) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> tx.registeredCas().list(principal.tenant()));
  }

  public RegisteredCa get(Principal principal, String id) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> tx.registeredCas().find(principal.tenant(), id))
        .orElseThrow(() -> new NotFoundException("registered CA", id));
  }

  /** Replaces the template and/or sets the status ({@code active} or {@code inactive}). */
  public RegisteredCa patch(Principal principal, String id, ObjectNode body, Optional<Long> ifMatch) {
    principal.require(Permission.CA_MANAGE);
    FieldReader r = FieldReader.of(body, PATCH_FIELDS);
    Optional<ProvisioningTemplate> template = r.object("template").isPresent()
        ? TemplateFields.read(r, "template") : Optional.empty();
    Optional<Boolean> active = status(r);
    r.throwIfErrors();
    return store.write(tx -> {
      RegisteredCa current = tx.registeredCas().find(principal.tenant(), id)
          .orElseThrow(() -> new NotFoundException("registered CA", id));
      Versions.check("registered CA", id, ifMatch, current.version());
      RegisteredCa next = current.with(template.orElse(current.template()), active.orElse(current.active()),
          clock.instant());
      template.ifPresent(t -> TemplateFields.requireReferences(tx, principal.tenant(), t, "template"));
      Versions.requireUpdated(tx.registeredCas().update(next, current.version()), "registered CA", id);
      audit.record(tx, principal, "ca.update", "registered-ca", id, EntityJson.registeredCa(current),
          EntityJson.registeredCa(next));
      return next;
    });
  }

  /**
   * Removes the registration: the CA registers no more devices. Devices it registered keep their certificate
   * credentials; revoke those to cut them off.
   */
  public void delete(Principal principal, String id, Optional<Long> ifMatch) {
    principal.require(Permission.CA_MANAGE);
    store.write(tx -> {
      RegisteredCa current = tx.registeredCas().find(principal.tenant(), id)
          .orElseThrow(() -> new NotFoundException("registered CA", id));
      Versions.check("registered CA", id, ifMatch, current.version());
      Versions.requireUpdated(tx.registeredCas().delete(principal.tenant(), id), "registered CA", id);
      audit.record(tx, principal, "ca.delete", "registered-ca", id, EntityJson.registeredCa(current),
          AuditTrail.ABSENT);
      return null;
    });
  }

  private static Optional<X509Certificate> certificate(FieldReader r, String field, String what) {
    Optional<String> pem = r.string(field);
    if (pem.isEmpty()) {
      if (!r.hasErrorAt(field)) {
        r.error(field, "is required: " + what);
      }
      return Optional.empty();
    }
    try {
      return Optional.of(Certificates.parsePem(field, pem.get()));
    } catch (ValidationException e) {
      e.errors().forEach(error -> r.error(field, error.message()));
      return Optional.empty();
    }
  }

  private static Optional<Boolean> status(FieldReader r) {
    return r.string("status").flatMap(s -> switch (s) {
      case "active" -> Optional.of(true);
      case "inactive" -> Optional.of(false);
      default -> {
        r.error("status", "'" + s + "' is not a CA status; use active or inactive");
        yield Optional.empty();
      }
    });
  }
}
