package io.flotilla.core.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.Identifiers;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.ca.CertificateAuthority;
import io.flotilla.core.ca.CertificateChecks;
import io.flotilla.core.ca.CertificatePolicy;
import io.flotilla.core.ca.CertificateRequest;
import io.flotilla.core.ca.CertificateTemplate;
import io.flotilla.core.ca.ProvisioningTemplate;
import io.flotilla.core.ca.SealedKey;
import io.flotilla.core.ca.SecretVault;
import io.flotilla.core.ca.SignedCertificate;
import io.flotilla.core.ca.TenantCa;
import io.flotilla.core.device.Certificates;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.provisioning.ClaimCertificate;
import io.flotilla.core.provisioning.EnrollmentGroup;
import io.flotilla.core.provisioning.EnrollmentGroup.Attestation;
import io.flotilla.core.provisioning.EnrollmentGroup.IssuedCredential;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Enrollment groups for provisioning by claim, managed by tenant administrators ({@link Permission#CA_MANAGE}:
 * a group lets whoever holds its claim register devices, so it is a trust anchor like a registered CA). A
 * symmetric-key group's key (256 random bits) is returned once, at creation, and kept sealed with the master key
 * so that device keys can be derived from it later; claim certificates are issued by the tenant CA from the
 * operator's CSR or registered from an existing certificate.
 */
public final class EnrollmentService {
  static final Set<String> FIELDS = Set.of("name", "attestation", "template", "credential", "deviceIdPrefix",
      "deviceId", "requestsPerMinute", "status", "webhook");
  static final Set<String> PATCH_FIELDS = Set.of("name", "template", "deviceIdPrefix", "requestsPerMinute", "status",
      "webhook");
  static final Set<String> WEBHOOK_FIELDS = Set.of("url", "secret");
  static final int MIN_WEBHOOK_SECRET = 16;
  static final Set<String> CLAIM_FIELDS = Set.of("csrPem", "certificatePem", "validityDays");
  static final int DEFAULT_REQUESTS_PER_MINUTE = 60;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;
  private final SecretVault vault;
  private final CertificateAuthority authority;
  private final TenantCaService cas;
  private final CertificatePolicy policy;

  public EnrollmentService(RegistryStore store, Clock clock, SecretVault vault, CertificateAuthority authority,
      TenantCaService cas, CertificatePolicy policy) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
    this.vault = vault;
    this.authority = authority;
    this.cas = cas;
    this.policy = policy;
  }

  /** A new group, and for a symmetric-key group its key in hex: shown this once, never again. */
  public record Created(EnrollmentGroup group, Optional<String> symmetricKeyHex) {
    @Override
    public String toString() {
      return "Created[" + group.id() + "]";
    }
  }

  public Created create(Principal principal, ObjectNode body) {
    principal.require(Permission.CA_MANAGE);
    FieldReader r = FieldReader.of(body, FIELDS);
    Optional<String> name = r.string("name");
    if (name.isEmpty() && !r.hasErrorAt("name")) {
      r.error("name", "is required: a name for the operators, e.g. the production batch");
    }
    name.ifPresent(n -> Texts.name(r, "name", n));
    Optional<Attestation> attestation = r.string("attestation").flatMap(v -> Attestation.fromWire(v).or(() -> {
      r.error("attestation", "'" + v + "' is not an attestation; use claimCertificate or symmetricKey");
      return Optional.empty();
    }));
    if (attestation.isEmpty() && !r.hasErrorAt("attestation")) {
      r.error("attestation", "is required: claimCertificate or symmetricKey");
    }
    IssuedCredential credential = r.string("credential").flatMap(v -> IssuedCredential.fromWire(v).or(() -> {
      r.error("credential", "'" + v + "' is not a credential kind; use certificate or token");
      return Optional.empty();
    })).orElse(IssuedCredential.CERTIFICATE);
    Optional<ProvisioningTemplate> template = TemplateFields.read(r, "template");
    String prefix = prefix(r).orElse("");
    Optional<String> deviceId = r.string("deviceId");
    deviceId.filter(d -> !Identifiers.isEntityId(d))
        .ifPresent(d -> r.error("deviceId", Identifiers.describeInvalid(d)));
    if (deviceId.isPresent() && !prefix.isEmpty()) {
      r.error("deviceIdPrefix", "must be left out of an individual enrollment (one with a deviceId)");
    }
    int rate = rate(r).orElse(DEFAULT_REQUESTS_PER_MINUTE);
    boolean active = status(r).orElse(true);
    Optional<WebhookFields> webhook = webhook(r);
    r.throwIfErrors();
    Instant now = clock.instant();
    String id = TokenSecrets.newId("eg");
    byte[] key = null;
    Optional<SealedKey> sealed = Optional.empty();
    Optional<String> shown = Optional.empty();
    try {
      if (attestation.get() == Attestation.SYMMETRIC_KEY) {
        key = new byte[32];
        RANDOM.nextBytes(key);
        sealed = Optional.of(vault.seal(key, EnrollmentGroup.sealingContext(principal.tenant(), id)));
        shown = Optional.of(HexFormat.of().formatHex(key));
      }
    } finally {
      if (key != null) {
        Arrays.fill(key, (byte) 0);
      }
    }
    EnrollmentGroup group = new EnrollmentGroup(principal.tenant(), id, name.orElseThrow(), attestation.get(), sealed,
        template.orElseThrow(), credential, prefix, deviceId, active, rate,
        webhook.map(w -> w.seal(vault, EnrollmentGroup.webhookSealingContext(principal.tenant(), id))), now, now, 1);
    store.write(tx -> {
      TemplateFields.requireReferences(tx, principal.tenant(), group.template(), "template");
      tx.enrollments().insert(group);
      audit.record(tx, principal, "enrollment-group.create", "enrollment-group", id, AuditTrail.ABSENT,
          EntityJson.enrollmentGroup(group));
      return null;
    });
    return new Created(group, shown);
  }

  public List<EnrollmentGroup> list(Principal principal) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> tx.enrollments().list(principal.tenant()));
  }

  public EnrollmentGroup get(Principal principal, String id) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> find(tx, principal, id));
  }

  /** Changes the name, template, prefix, rate or status; the attestation and its key never change. */
  public EnrollmentGroup patch(Principal principal, String id, ObjectNode body, Optional<Long> ifMatch) {
    principal.require(Permission.CA_MANAGE);
    FieldReader r = FieldReader.of(body, PATCH_FIELDS);
    Optional<String> name = r.string("name");
    name.ifPresent(n -> Texts.name(r, "name", n));
    Optional<ProvisioningTemplate> template = r.object("template").isPresent()
        ? TemplateFields.read(r, "template") : Optional.empty();
    Optional<String> prefix = prefix(r);
    Optional<Integer> rate = rate(r);
    Optional<Boolean> active = status(r);
    boolean removeWebhook = body.has("webhook") && body.get("webhook").isNull();
    Optional<WebhookFields> webhook = webhook(r);
    r.throwIfErrors();
    return store.write(tx -> {
      EnrollmentGroup current = find(tx, principal, id);
      Versions.check("enrollment group", id, ifMatch, current.version());
      template.ifPresent(t -> TemplateFields.requireReferences(tx, principal.tenant(), t, "template"));
      if (current.deviceId().isPresent() && prefix.filter(p -> !p.isEmpty()).isPresent()) {
        throw new ValidationException("deviceIdPrefix", "must be left out of an individual enrollment (one with a "
            + "deviceId)");
      }
      Optional<EnrollmentGroup.Webhook> nextWebhook = removeWebhook ? Optional.empty()
          : webhook.map(w -> w.seal(vault, current.webhookSealingContext())).or(current::webhook);
      EnrollmentGroup next = current.with(name.orElse(current.name()), template.orElse(current.template()),
          prefix.orElse(current.deviceIdPrefix()), active.orElse(current.active()),
          rate.orElse(current.requestsPerMinute()), nextWebhook, clock.instant());
      Versions.requireUpdated(tx.enrollments().update(next, current.version()), "enrollment group", id);
      audit.record(tx, principal, "enrollment-group.update", "enrollment-group", id,
          EntityJson.enrollmentGroup(current), EntityJson.enrollmentGroup(next));
      return next;
    });
  }

  /** Removes the group and its claim certificates; devices it provisioned keep their credentials. */
  public void delete(Principal principal, String id, Optional<Long> ifMatch) {
    principal.require(Permission.CA_MANAGE);
    store.write(tx -> {
      EnrollmentGroup current = find(tx, principal, id);
      Versions.check("enrollment group", id, ifMatch, current.version());
      Versions.requireUpdated(tx.enrollments().delete(principal.tenant(), id), "enrollment group", id);
      audit.record(tx, principal, "enrollment-group.delete", "enrollment-group", id,
          EntityJson.enrollmentGroup(current), AuditTrail.ABSENT);
      return null;
    });
  }

  /**
   * Registers a claim certificate with a claim-certificate group: issued now by the tenant CA for the key of
   * {@code csrPem}, or an existing certificate given as {@code certificatePem}.
   */
  public ClaimCertificate addClaim(Principal principal, String groupId, ObjectNode body) {
    principal.require(Permission.CA_MANAGE);
    FieldReader r = FieldReader.of(body, CLAIM_FIELDS);
    Optional<String> csrPem = r.string("csrPem");
    Optional<String> certificatePem = r.string("certificatePem");
    if (csrPem.isPresent() == certificatePem.isPresent() && !r.hasErrors()) {
      r.error("csrPem", "give exactly one of csrPem (the tenant CA issues the claim certificate) or certificatePem "
          + "(an existing certificate)");
    }
    Optional<Long> days = r.integer("validityDays");
    long maxDays = policy.maxValidity().toDays();
    if (days.isPresent() && (days.get() < 1 || days.get() > maxDays)) {
      r.error("validityDays", "must be from 1 to " + maxDays + " days, not " + days.get());
    }
    r.throwIfErrors();
    EnrollmentGroup group = store.read(tx -> find(tx, principal, groupId));
    if (group.attestation() != Attestation.CLAIM_CERTIFICATE) {
      throw new ConflictException("enrollment group " + groupId + " attests by symmetric key; claim certificates "
          + "belong to claimCertificate groups");
    }
    Instant now = clock.instant();
    ClaimCertificate claim = csrPem.isPresent()
        ? issued(principal, group, csrPem.get(), days.map(Duration::ofDays).orElse(policy.defaultValidity()), now)
        : registered(principal, group, certificatePem.orElseThrow(), now);
    return store.write(tx -> {
      find(tx, principal, groupId);
      if (tx.credentials().findByFingerprint(claim.fingerprint()).isPresent()) {
        throw new ConflictException("this certificate is a device's credential; a claim certificate may only "
            + "provision");
      }
      try {
        tx.enrollments().insertClaim(claim);
      } catch (DuplicateKeyException e) {
        throw new ConflictException("this certificate is registered as a claim already");
      }
      audit.record(tx, principal, "enrollment-group.claim-add", "enrollment-group", groupId, AuditTrail.ABSENT,
          EntityJson.claimCertificate(claim));
      return claim;
    });
  }

  public List<ClaimCertificate> claims(Principal principal, String groupId) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> {
      find(tx, principal, groupId);
      return tx.enrollments().claims(principal.tenant(), groupId);
    });
  }

  /** Removes a claim certificate: it provisions nothing more, and connections with it are refused from now on. */
  public void deleteClaim(Principal principal, String groupId, String claimId) {
    principal.require(Permission.CA_MANAGE);
    store.write(tx -> {
      find(tx, principal, groupId);
      ClaimCertificate claim = tx.enrollments().claims(principal.tenant(), groupId).stream()
          .filter(c -> c.id().equals(claimId)).findFirst()
          .orElseThrow(() -> new NotFoundException("claim certificate", claimId));
      tx.enrollments().deleteClaim(principal.tenant(), groupId, claimId);
      audit.record(tx, principal, "enrollment-group.claim-delete", "enrollment-group", groupId,
          EntityJson.claimCertificate(claim), AuditTrail.ABSENT);
      return null;
    });
  }

  private ClaimCertificate issued(Principal principal, EnrollmentGroup group, String csrPem, Duration validity,
      Instant now) {
    CertificateRequest request = authority.check("csrPem", csrPem);
    TenantCa ca = cas.ensure(principal);
    Instant notAfter = now.plus(validity).isBefore(ca.notAfter()) ? now.plus(validity) : ca.notAfter();
    if (!notAfter.isAfter(now)) {
      throw new ConflictException("the tenant's CA " + ca.id() + " has expired and can no longer issue certificates");
    }
    SignedCertificate signed = authority.sign(ca, request,
        new CertificateTemplate("claim " + group.id(), now.minus(CertificatePolicy.BACKDATE), notAfter));
    String fingerprint = Certificates.fingerprint(Certificates.parsePem("certificatePem", signed.pem()));
    return new ClaimCertificate(principal.tenant(), TokenSecrets.newId("claim"), group.id(), fingerprint, signed.pem(),
        signed.notAfter(), true, now);
  }

  private static ClaimCertificate registered(Principal principal, EnrollmentGroup group, String pem, Instant now) {
    X509Certificate certificate = Certificates.parsePem("certificatePem", pem);
    CertificateChecks.validityProblem(certificate, now).ifPresent(p -> {
      throw new ValidationException("certificatePem", "the certificate " + p);
    });
    if (certificate.getBasicConstraints() >= 0) {
      throw new ValidationException("certificatePem", "is a CA certificate; a claim is an end-entity certificate");
    }
    return new ClaimCertificate(principal.tenant(), TokenSecrets.newId("claim"), group.id(),
        Certificates.fingerprint(certificate), Certificates.pem(certificate), certificate.getNotAfter().toInstant(),
        false, now);
  }

  private static EnrollmentGroup find(RegistryTx tx, Principal principal, String id) {
    return tx.enrollments().find(principal.tenant(), id)
        .orElseThrow(() -> new NotFoundException("enrollment group", id));
  }

  private static Optional<String> prefix(FieldReader r) {
    Optional<String> prefix = r.string("deviceIdPrefix");
    prefix.filter(p -> !p.isEmpty() && !Identifiers.isEntityId(p + "x")).ifPresent(p ->
        r.error("deviceIdPrefix", "'" + p + "' cannot begin a device id: " + Identifiers.describeInvalid(p)));
    return prefix;
  }

  /** A webhook as the caller gave it: its secret in clear until sealed. */
  private record WebhookFields(String url, String secret) {
    EnrollmentGroup.Webhook seal(SecretVault vault, String context) {
      return new EnrollmentGroup.Webhook(url, vault.seal(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          context));
    }

    @Override
    public String toString() {
      return "WebhookFields[" + url + "]";
    }
  }

  private static Optional<WebhookFields> webhook(FieldReader r) {
    Optional<FieldReader> nested = r.nested("webhook", WEBHOOK_FIELDS);
    if (nested.isEmpty()) {
      return Optional.empty();
    }
    FieldReader w = nested.get();
    Optional<String> url = w.string("url");
    if (url.isEmpty() && !w.hasErrorAt("url")) {
      w.error("url", "is required: the http(s) address the requests are POSTed to");
    }
    url.ifPresent(u -> {
      try {
        java.net.URI uri = new java.net.URI(u);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
            || u.length() > 2000) {
          w.error("url", "must be an absolute http or https address, at most 2000 characters");
        }
      } catch (java.net.URISyntaxException e) {
        w.error("url", "is not a valid address: " + e.getReason());
      }
    });
    Optional<String> secret = w.string("secret");
    if (secret.isEmpty() && !w.hasErrorAt("secret")) {
      w.error("secret", "is required: at least " + MIN_WEBHOOK_SECRET + " characters the hook checks the "
          + "X-Flotilla-Signature header with");
    } else if (secret.isPresent() && (secret.get().length() < MIN_WEBHOOK_SECRET || secret.get().length() > 256)) {
      w.error("secret", "must have from " + MIN_WEBHOOK_SECRET + " to 256 characters");
    }
    return url.isPresent() && secret.isPresent() ? Optional.of(new WebhookFields(url.get(), secret.get()))
        : Optional.empty();
  }

  private static Optional<Integer> rate(FieldReader r) {
    Optional<Long> rate = r.integer("requestsPerMinute");
    if (rate.isPresent() && (rate.get() < 1 || rate.get() > EnrollmentGroup.MAX_REQUESTS_PER_MINUTE)) {
      r.error("requestsPerMinute", "must be from 1 to " + EnrollmentGroup.MAX_REQUESTS_PER_MINUTE + ", not "
          + rate.get());
      return Optional.empty();
    }
    return rate.map(Long::intValue);
  }

  private static Optional<Boolean> status(FieldReader r) {
    return r.string("status").flatMap(s -> switch (s) {
      case "active" -> Optional.of(true);
      case "inactive" -> Optional.of(false);
      default -> {
        r.error("status", "'" + s + "' is not a group status; use active or inactive");
        yield Optional.empty();
      }
    });
  }
}
