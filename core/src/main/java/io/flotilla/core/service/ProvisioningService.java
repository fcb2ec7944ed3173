package io.flotilla.core.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.Identifiers;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.ca.CaKeyUnavailableException;
import io.flotilla.core.ca.CertificateAuthority;
import io.flotilla.core.ca.CertificateChecks;
import io.flotilla.core.ca.CertificateRequest;
import io.flotilla.core.ca.ProvisioningTemplate.Approval;
import io.flotilla.core.ca.SecretVault;
import io.flotilla.core.device.Certificates;
import io.flotilla.core.device.CredentialType;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceCredential;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.group.GroupType;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import io.flotilla.core.provisioning.ClaimCertificate;
import io.flotilla.core.provisioning.PreProvisioningHook;
import io.flotilla.core.provisioning.PreProvisioningHook.Decision;
import io.flotilla.core.provisioning.EnrollmentGroup;
import io.flotilla.core.provisioning.EnrollmentGroup.Attestation;
import io.flotilla.core.provisioning.EnrollmentGroup.IssuedCredential;
import io.flotilla.core.provisioning.ProvisioningClaim;
import io.flotilla.core.provisioning.ProvisioningOutcome;
import io.flotilla.core.provisioning.ProvisioningOutcome.Code;
import io.flotilla.core.provisioning.ProvisioningOutcome.Provisioned;
import io.flotilla.core.provisioning.ProvisioningOutcome.Refused;
import io.flotilla.core.provisioning.SymmetricKeyProof;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisioning by claim. A client proves membership of an enrollment group when it connects (a claim certificate
 * in the TLS handshake, or a symmetric-key proof as password), which makes it a provisioning client that may do
 * nothing but ask, here, for a device: its id (checked against the group's prefix, tombstones and the devices that
 * exist) and a CSR or nothing (for a token). The device, its credential and its groups are written in one
 * transaction with the audit record {@code device.provisioned} (actor {@code enrollment-group:<id>}).
 *
 * <p>A device id that exists is refused ({@code device-exists}) whoever asks, so a replayed request registers
 * nothing; re-provisioning an existing device is an operator's act (delete it or add a credential).
 */
public final class ProvisioningService {
  /** The user name of a symmetric-key proof: {@code provision:<enrollment group id>:<device id>}. */
  public static final String USER_PREFIX = "provision:";
  /** How far ahead a symmetric-key proof may expire, so a leaked one does not work for ever. */
  public static final Duration MAX_PROOF_LIFETIME = Duration.ofDays(30);
  static final Set<String> FIELDS = Set.of("requestId", "deviceId", "csrPem");
  static final int MAX_REQUEST_ID = 128;
  private static final Logger LOG = LoggerFactory.getLogger(ProvisioningService.class);

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;
  private final SecretVault vault;
  private final CertificateAuthority authority;
  private final DeviceCertificateService certificates;
  private final ProvisioningRateLimit rateLimit;
  private final PreProvisioningHook hook;
  private final DomainEvents events;

  /** @param events told of each device provisioned ({@link InitialTwins#DEVICE_REGISTERED}) */
  public ProvisioningService(RegistryStore store, Clock clock, SecretVault vault, CertificateAuthority authority,
      DeviceCertificateService certificates, PreProvisioningHook hook, DomainEvents events) {
    this.hook = hook;
    this.events = events;
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
    this.vault = vault;
    this.authority = authority;
    this.certificates = certificates;
    this.rateLimit = new ProvisioningRateLimit(clock);
  }

  /** Whether a client proved membership of an enrollment group, and which. */
  public sealed interface ClaimCheck {
    /** The credentials are no claim at all; the caller goes on with its other checks. */
    record NotAClaim() implements ClaimCheck {}

    record Claimed(ProvisioningClaim claim) implements ClaimCheck {}

    /** A claim, refused for a reason the operator may see (never the secret). */
    record Refused(String detail) implements ClaimCheck {}
  }

  /** True when a user name is the symmetric-key proof's, whatever its password. */
  public static boolean isProofUser(String username) {
    return username.startsWith(USER_PREFIX);
  }

  /** Checks a TLS client certificate against the claim certificates of every tenant, by fingerprint. */
  public ClaimCheck byClaimCertificate(X509Certificate certificate) {
    String fingerprint = Certificates.fingerprint(certificate);
    Optional<ClaimCertificate> claim = store.read(tx -> tx.enrollments().findClaimByFingerprint(fingerprint));
    if (claim.isEmpty()) {
      return new ClaimCheck.NotAClaim();
    }
    ClaimCertificate c = claim.get();
    Optional<String> invalid = CertificateChecks.validityProblem(certificate, clock.instant());
    if (invalid.isPresent()) {
      return new ClaimCheck.Refused("claim certificate " + c.id() + " " + invalid.get());
    }
    return usable(store.read(tx -> tx.enrollments().find(c.tenant(), c.groupId())), c.groupId())
        .<ClaimCheck>map(ClaimCheck.Refused::new)
        .orElseGet(() -> new ClaimCheck.Claimed(new ProvisioningClaim(c.tenant(), c.groupId(), Optional.empty(),
            "claim-certificate:" + c.id())));
  }

  /** Checks a symmetric-key proof: user name {@code provision:<group>:<device id>}, password from the device key. */
  public ClaimCheck bySymmetricKey(String username, String password) {
    if (!isProofUser(username)) {
      return new ClaimCheck.NotAClaim();
    }
    String rest = username.substring(USER_PREFIX.length());
    int colon = rest.indexOf(':');
    if (colon < 1 || colon == rest.length() - 1) {
      return new ClaimCheck.Refused("the user name of a provisioning proof is provision:<enrollment group id>:<device "
          + "id>");
    }
    String groupId = rest.substring(0, colon);
    String deviceId = rest.substring(colon + 1);
    if (!Identifiers.isEntityId(deviceId)) {
      return new ClaimCheck.Refused("the device id in the user name is invalid: "
          + Identifiers.describeInvalid(deviceId));
    }
    // The proof's form and window first: a malformed or stale password costs no database read.
    Optional<Long> expiry = SymmetricKeyProof.expiry(password);
    if (expiry.isEmpty()) {
      return new ClaimCheck.Refused("the password is not a provisioning proof <expiry epoch seconds>.<64 hex digits>");
    }
    long now = clock.instant().getEpochSecond();
    if (expiry.get() <= now) {
      return new ClaimCheck.Refused("the provisioning proof expired at " + Instant.ofEpochSecond(expiry.get()));
    }
    if (expiry.get() > now + MAX_PROOF_LIFETIME.toSeconds()) {
      return new ClaimCheck.Refused("the provisioning proof expires more than " + MAX_PROOF_LIFETIME.toDays()
          + " days from now; make one that expires sooner");
    }
    Optional<EnrollmentGroup> group = store.read(tx -> tx.enrollments().findById(groupId))
        .filter(g -> g.attestation() == Attestation.SYMMETRIC_KEY);
    Optional<String> unusable = usable(group, groupId);
    if (unusable.isPresent()) {
      return new ClaimCheck.Refused(unusable.get());
    }
    EnrollmentGroup g = group.orElseThrow();
    byte[] key;
    try {
      key = vault.open(g.symmetricKey().orElseThrow(), g.sealingContext());
    } catch (CaKeyUnavailableException e) {
      LOG.error("The key of enrollment group {} of tenant {} cannot be opened: {}", g.id(), g.tenant(),
          e.getMessage());
      return new ClaimCheck.Refused("the server cannot check proofs of enrollment group " + groupId + " now");
    }
    try {
      if (!SymmetricKeyProof.verify(key, deviceId, password)) {
        return new ClaimCheck.Refused("the provisioning proof does not verify with the key of enrollment group "
            + groupId + " for device id '" + deviceId + "'");
      }
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    return new ClaimCheck.Claimed(new ProvisioningClaim(g.tenant(), g.id(), Optional.of(deviceId), "symmetric-key"));
  }

  /** Registers the device a provisioning client asks for, or says why not. Never throws for a bad request. */
  public ProvisioningOutcome register(ProvisioningClaim claim, ObjectNode body) {
    FieldReader r = FieldReader.of(body, FIELDS);
    String requestId = r.string("requestId").orElse("");
    if (requestId.isEmpty() && !r.hasErrorAt("requestId")) {
      r.error("requestId", "is required: an id of your choice that the answer repeats");
    } else if (requestId.length() > MAX_REQUEST_ID) {
      r.error("requestId", "is longer than " + MAX_REQUEST_ID + " characters");
    }
    Optional<String> deviceId = r.string("deviceId");
    if (deviceId.isEmpty() && !r.hasErrorAt("deviceId")) {
      r.error("deviceId", "is required: the id the device wants");
    }
    deviceId.filter(id -> !Identifiers.isEntityId(id))
        .ifPresent(id -> r.error("deviceId", Identifiers.describeInvalid(id)));
    Optional<String> csrPem = r.string("csrPem");
    String answerId = requestId.length() > MAX_REQUEST_ID ? "" : requestId;
    if (r.hasErrors()) {
      return badRequest(answerId, new ValidationException(r.errors()));
    }
    Optional<EnrollmentGroup> found = store.read(tx -> tx.enrollments().find(claim.tenant(), claim.groupId()));
    Optional<String> unusable = usable(found, claim.groupId());
    if (unusable.isPresent()) {
      return refused(answerId, Code.ENROLLMENT_UNAVAILABLE, unusable.get());
    }
    EnrollmentGroup group = found.orElseThrow();
    String id = deviceId.orElseThrow();
    if (claim.boundDeviceId().isPresent() && !claim.boundDeviceId().get().equals(id)) {
      return refused(answerId, Code.DEVICE_ID_NOT_ALLOWED, "this connection proved membership for device id '"
          + claim.boundDeviceId().get() + "' and may provision that id only, not '" + id + "'");
    }
    if (!group.admits(id)) {
      return refused(answerId, Code.DEVICE_ID_NOT_ALLOWED, "enrollment group " + group.id() + " provisions "
          + group.deviceId().map(d -> "the device id '" + d + "' only")
              .orElse("device ids starting with '" + group.deviceIdPrefix() + "'") + ", not '" + id + "'");
    }
    OptionalLong wait = rateLimit.take(group);
    if (wait.isPresent()) {
      return new Refused(answerId, Code.RATE_LIMITED, "enrollment group " + group.id() + " takes "
          + group.requestsPerMinute() + " requests a minute; try again in " + wait.getAsLong() + " s",
          Optional.of(wait.getAsLong()));
    }
    if (group.credential() == IssuedCredential.CERTIFICATE && csrPem.isEmpty()) {
      return badRequest(answerId, new ValidationException("csrPem", "is required: enrollment group " + group.id()
          + " issues certificates, for the key of the device's CSR (openssl req -new …)"));
    }
    if (group.credential() == IssuedCredential.TOKEN && csrPem.isPresent()) {
      return badRequest(answerId, new ValidationException("csrPem", "must be left out: enrollment group "
          + group.id() + " issues device tokens"));
    }
    try {
      Optional<CertificateRequest> request = csrPem.map(pem -> authority.check("csrPem", pem));
      Registration registration = new Registration(new DeviceId(id), group.template().tags(),
          group.template().profile());
      if (group.webhook().isPresent()) {
        Decision decision = askHook(group, claim, answerId, id, request);
        if (decision instanceof Decision.Deny deny) {
          return refused(answerId, Code.DENIED, "the tenant's pre-provisioning hook denied the request: "
              + deny.reason());
        }
        Decision.Allow allow = (Decision.Allow) decision;
        Optional<String> amendedId = allow.deviceId().filter(a -> !a.equals(id));
        if (amendedId.isPresent() && !Identifiers.isEntityId(amendedId.get())) {
          return refused(answerId, Code.DENIED, "the tenant's pre-provisioning hook answered an invalid device id: "
              + Identifiers.describeInvalid(amendedId.get()));
        }
        Map<String, String> tags = new LinkedHashMap<>(registration.tags());
        tags.putAll(allow.tags());
        registration = new Registration(amendedId.map(DeviceId::new).orElse(registration.id()), tags,
            allow.profile().orElse(registration.profile()));
      }
      return provision(claim, group, answerId, registration, request);
    } catch (ValidationException e) {
      return badRequest(answerId, e);
    } catch (IllegalArgumentException e) {
      return refused(answerId, Code.DENIED, "the pre-provisioning hook's amendment is invalid: " + e.getMessage());
    } catch (CaKeyUnavailableException e) {
      LOG.error("Provisioning for enrollment group {} of tenant {} failed: {}", group.id(), group.tenant(),
          e.getMessage());
      return refused(answerId, Code.UNAVAILABLE, "the tenant CA cannot sign now; try again later");
    }
  }

  /** What is registered: the device id, its tags and its profile, as the template and the hook made them. */
  private record Registration(DeviceId id, Map<String, String> tags, String profile) {}

  private Decision askHook(EnrollmentGroup group, ProvisioningClaim claim, String requestId, String deviceId,
      Optional<CertificateRequest> request) {
    EnrollmentGroup.Webhook webhook = group.webhook().orElseThrow();
    ObjectNode body = Json.object().put("tenant", group.tenant().value()).put("enrollmentGroupId", group.id())
        .put("requestId", requestId).put("deviceId", deviceId).put("proof", claim.via())
        .put("credential", group.credential().wireName()).put("timestamp", clock.instant().toString());
    request.ifPresent(r -> body.put("csrSubject", r.requestedSubject()).put("csrKey", r.keyDescription()));
    byte[] secret = vault.open(webhook.secret(), group.webhookSealingContext());
    try {
      return hook.ask(webhook.url(), secret, body);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private ProvisioningOutcome provision(ProvisioningClaim claim, EnrollmentGroup group, String requestId,
      Registration registration, Optional<CertificateRequest> request) {
    Instant now = clock.instant();
    DeviceId id = registration.id();
    Optional<Refused> early = store.read(tx -> availability(tx, group, registration, requestId));
    if (early.isPresent()) {
      return early.get();
    }
    Optional<DeviceCertificateService.Signed> signed;
    try {
      // The tenant CA signs as for any device certificate (same validity policy, same refusal near its end).
      signed = request.map(req -> certificates.sign(Principal.system(group.tenant()), id.value(), req,
          certificates.policy().defaultValidity()));
    } catch (ConflictException e) {
      return refused(requestId, Code.UNAVAILABLE, e.getMessage());
    }
    Optional<String> token = signed.isPresent() ? Optional.empty()
        : Optional.of(TokenSecrets.newSecret(TokenSecrets.DEVICE_TOKEN_PREFIX));
    String credentialId = TokenSecrets.newId(signed.isPresent() ? "cert" : "cred");
    Optional<String> fingerprint = signed.map(DeviceCertificateService.Signed::fingerprint);
    DeviceStatus status = group.template().approval() == Approval.PENDING ? DeviceStatus.PENDING : DeviceStatus.ACTIVE;
    Device device = new Device(group.tenant(), id, id.value(), registration.profile(), status, registration.tags(),
        Json.object(), now, now, 1);
    DeviceCredential credential = new DeviceCredential(group.tenant(), id, credentialId,
        signed.isPresent() ? CredentialType.X509 : CredentialType.TOKEN, token.map(TokenSecrets::hash), fingerprint,
        signed.map(x -> x.certificate().pem()), signed.map(x -> x.certificate().notAfter()), now, Optional.empty());
    Optional<Refused> refusal;
    try {
      refusal = store.write(tx -> {
        Optional<Refused> late = availability(tx, group, registration, requestId);
        if (late.isPresent()) {
          return late;
        }
        try {
          tx.devices().insert(device);
          tx.credentials().insert(credential);
        } catch (DuplicateKeyException e) {
          throw new Raced();
        }
        signed.ifPresent(s -> tx.deviceCertificates().insert(s.certificate(credentialId, id, Optional.empty())));
        List<String> groups = group.template().groups().stream().filter(g -> tx.groups().find(group.tenant(), g)
            .map(x -> x.type() == GroupType.STATIC).orElse(false)).toList();
        groups.forEach(g -> tx.groups().addMembers(group.tenant(), g, List.of(id)));
        var after = EntityJson.device(device);
        after.put("enrollmentGroup", group.id()).put("proof", claim.via()).put("requestId", requestId)
            .put("credentialId", credentialId)
            .put("credentialType", credential.type().wireName());
        fingerprint.ifPresent(f -> after.put("certificateFingerprint", f));
        after.set("groups", Json.MAPPER.valueToTree(groups));
        audit.record(tx, group.tenant(), "enrollment-group:" + group.id(), "device.provisioned", "device", id.value(),
            AuditTrail.ABSENT, after);
        return Optional.empty();
      });
    } catch (Raced e) {
      return refused(requestId, Code.DEVICE_EXISTS, "a device with id '" + id + "' was registered meanwhile");
    }
    if (refusal.isPresent()) {
      return refusal.get();
    }
    LOG.info("Provisioned device {} of tenant {} by enrollment group {} ({}, {} credential {})", id, group.tenant(),
        group.id(), claim.via(), credential.type().wireName(), credentialId);
    events.publish(InitialTwins.registered(group.tenant(), id.value(), registration.profile(),
        "enrollment-group:" + group.id(), group.template().initialTwin(), now));
    return new Provisioned(requestId, id.value(), status.wireName(), signed.map(s -> credentialId),
        signed.map(x -> x.certificate().pem()), signed.map(x -> x.ca().certificatePem()), token);
  }

  /** Why this id cannot be provisioned now, if it cannot. */
  private static Optional<Refused> availability(RegistryTx tx, EnrollmentGroup group, Registration registration,
      String requestId) {
    DeviceId id = registration.id();
    if (tx.profiles().find(group.tenant(), registration.profile()).isEmpty()) {
      return Optional.of(refused(requestId, Code.ENROLLMENT_UNAVAILABLE, "enrollment group " + group.id()
          + " (or its pre-provisioning hook) names the profile '" + registration.profile()
          + "', which does not exist in the tenant"));
    }
    Optional<Refused> retired = tx.tombstones().find(group.tenant(), id)
        .map(t -> refused(requestId, Code.DEVICE_ID_RETIRED, t.describe()));
    if (retired.isPresent()) {
      return retired;
    }
    if (tx.devices().find(group.tenant(), id).isPresent()) {
      return Optional.of(refused(requestId, Code.DEVICE_EXISTS, "a device with id '" + id + "' exists already; "
          + "provisioning registers new devices only"));
    }
    return Optional.empty();
  }

  /** Why a claim on {@code group} cannot be used, if it cannot. */
  private static Optional<String> usable(Optional<EnrollmentGroup> group, String groupId) {
    if (group.isEmpty()) {
      return Optional.of("enrollment group " + groupId + " does not exist");
    }
    if (!group.get().active()) {
      return Optional.of("enrollment group " + groupId + " is inactive");
    }
    return Optional.empty();
  }

  private static Refused badRequest(String requestId, ValidationException e) {
    StringBuilder message = new StringBuilder();
    e.errors().forEach(error -> message.append(message.isEmpty() ? "" : "; ").append(error.field()).append(": ")
        .append(error.message()));
    return refused(requestId, Code.BAD_REQUEST, message.toString());
  }

  private static Refused refused(String requestId, Code code, String message) {
    return new Refused(requestId, code, message, Optional.empty());
  }

  /** Thrown out of the transaction so that it rolls back: PostgreSQL cannot go on after a failed insert. */
  private static final class Raced extends RuntimeException {
    Raced() {
      super(null, null, false, false);
    }
  }
}
