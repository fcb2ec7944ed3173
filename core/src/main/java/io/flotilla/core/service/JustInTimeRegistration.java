package io.flotilla.core.service;

import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.ca.CertificateChecks;
import io.flotilla.core.ca.CertificateChecks.DeviceIdReading;
import io.flotilla.core.ca.ProvisioningTemplate;
import io.flotilla.core.ca.ProvisioningTemplate.Approval;
import io.flotilla.core.ca.RegisteredCa;
import io.flotilla.core.device.Certificates;
import io.flotilla.core.device.CredentialType;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceCredential;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.group.GroupType;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.DeviceAuthentication.Refusal;
import io.flotilla.core.service.DeviceAuthentication.Result;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a device the first time it connects with a certificate that no device holds but an active CA a
 * tenant registered has signed: the device is made in that CA's tenant by the CA's template, with the
 * certificate as its x509 credential, in one audited transaction. The chain is checked here, not at the TLS
 * layer (which accepts any client certificate so that refusals can say why).
 */
final class JustInTimeRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(JustInTimeRegistration.class);

  private final RegistryStore store;
  private final Clock clock;
  private final AuditTrail audit;
  private final Function<String, Result> byFingerprint;
  private final DomainEvents events;

  /**
   * @param byFingerprint judges a certificate already registered, as a racing connect may have just done
   * @param events        told of each device registered ({@link InitialTwins#DEVICE_REGISTERED})
   */
  JustInTimeRegistration(RegistryStore store, Clock clock, Function<String, Result> byFingerprint,
      DomainEvents events) {
    this.store = store;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
    this.byFingerprint = byFingerprint;
    this.events = events;
  }

  /** The outcome of an attempt: nothing when no registered CA signed the certificate. */
  Optional<Result> register(X509Certificate certificate, String fingerprint) {
    List<RegisteredCa> candidates = store.read(tx -> tx.registeredCas()
        .activeBySubject(CertificateChecks.issuer(certificate)));
    Optional<RegisteredCa> issuer = candidates.stream()
        .filter(ca -> CertificateChecks.signedBy(certificate, Certificates.parsePem("certificatePem",
            ca.certificatePem())))
        .findFirst();
    if (issuer.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(register(certificate, fingerprint, issuer.get()));
  }

  private Result register(X509Certificate certificate, String fingerprint, RegisteredCa ca) {
    Instant now = clock.instant();
    X509Certificate caCertificate = Certificates.parsePem("certificatePem", ca.certificatePem());
    Optional<String> problem = CertificateChecks.validityProblem(caCertificate, now);
    if (problem.isPresent()) {
      return refused(Refusal.REGISTRATION_REFUSED, "the registered CA " + ca.id() + " " + problem.get());
    }
    problem = CertificateChecks.validityProblem(certificate, now);
    if (problem.isPresent()) {
      return refused(Refusal.CERTIFICATE_EXPIRED, "the certificate " + fingerprint + " " + problem.get());
    }
    if (certificate.getBasicConstraints() >= 0) {
      return refused(Refusal.REGISTRATION_REFUSED, "the certificate " + fingerprint
          + " is a CA certificate; a device presents its own end-entity certificate");
    }
    ProvisioningTemplate template = ca.template();
    DeviceIdReading reading = CertificateChecks.deviceId(certificate, template.idFrom());
    if (reading.id().isEmpty()) {
      return refused(Refusal.REGISTRATION_REFUSED, reading.problem() + " (registered CA " + ca.id() + " takes it "
          + "from " + template.idFrom().wireName() + ")");
    }
    DeviceId id = new DeviceId(reading.id().get());
    DeviceStatus status = template.approval() == Approval.PENDING ? DeviceStatus.PENDING : DeviceStatus.ACTIVE;
    Device device = new Device(ca.tenant(), id, id.value(), template.profile(), status, template.tags(),
        Json.object(), now, now, 1);
    DeviceCredential credential = new DeviceCredential(ca.tenant(), id, TokenSecrets.newId("cred"),
        CredentialType.X509, Optional.empty(), Optional.of(fingerprint), Optional.of(Certificates.pem(certificate)),
        Optional.of(certificate.getNotAfter().toInstant()), now, Optional.empty());
    Optional<Result> refusal;
    try {
      refusal = store.write(tx -> insert(tx, ca, device, credential));
    } catch (Raced e) {
      return afterRace(ca, id, fingerprint);
    }
    if (refusal.isPresent()) {
      return refusal.get();
    }
    LOG.info("Registered device {} of tenant {} just in time from registered CA {} ({}), certificate {}", id,
        ca.tenant(), ca.id(), status.wireName(), fingerprint);
    events.publish(InitialTwins.registered(ca.tenant(), id.value(), template.profile(), "registered-ca:" + ca.id(),
        template.initialTwin(), now));
    if (status == DeviceStatus.PENDING) {
      return refused(Refusal.DEVICE_PENDING, "device '" + id + "' was registered and is pending approval; an "
          + "operator approves it by setting its status to active");
    }
    return new Result.Accepted(ca.tenant(), id, template.profile(), credential.id());
  }

  private Optional<Result> insert(RegistryTx tx, RegisteredCa ca, Device device, DeviceCredential credential) {
    if (tx.profiles().find(ca.tenant(), device.profile()).isEmpty()) {
      return Optional.of(refused(Refusal.REGISTRATION_REFUSED, "the template of registered CA " + ca.id()
          + " names the profile '" + device.profile() + "', which no longer exists in tenant " + ca.tenant()));
    }
    Optional<Result> retired = tx.tombstones().find(ca.tenant(), device.id())
        .map(t -> refused(Refusal.REGISTRATION_REFUSED, t.describe()));
    if (retired.isPresent()) {
      return retired;
    }
    if (tx.devices().find(ca.tenant(), device.id()).isPresent()) {
      return Optional.of(idTaken(ca, device.id()));
    }
    try {
      tx.devices().insert(device);
      tx.credentials().insert(credential);
    } catch (DuplicateKeyException e) {
      throw new Raced();
    }
    List<String> groups = ca.template().groups().stream().filter(g -> tx.groups().find(ca.tenant(), g)
        .map(group -> group.type() == GroupType.STATIC).orElse(false)).toList();
    groups.forEach(g -> tx.groups().addMembers(ca.tenant(), g, List.of(device.id())));
    var after = EntityJson.device(device);
    after.put("registeredCa", ca.id()).put("credentialId", credential.id())
        .put("certificateFingerprint", credential.fingerprint().orElseThrow());
    after.set("groups", Json.MAPPER.valueToTree(groups));
    audit.record(tx, ca.tenant(), "registered-ca:" + ca.id(), "device.jit-registered", "device",
        device.id().value(), AuditTrail.ABSENT, after);
    return Optional.empty();
  }

  /** Another connect with the same certificate registered it first, or the id was taken meanwhile. */
  private Result afterRace(RegisteredCa ca, DeviceId id, String fingerprint) {
    boolean ours = store.read(tx -> tx.credentials().findByFingerprint(fingerprint).isPresent());
    return ours ? byFingerprint.apply(fingerprint) : idTaken(ca, id);
  }

  private static Result idTaken(RegisteredCa ca, DeviceId id) {
    return refused(Refusal.REGISTRATION_REFUSED, "device '" + id + "' exists in tenant " + ca.tenant()
        + " with other credentials, so a certificate from registered CA " + ca.id() + " cannot register it; "
        + "add this certificate to the device as a credential, or use another id");
  }

  private static Result refused(Refusal refusal, String detail) {
    return new Result.Refused(refusal, detail);
  }

  /** Thrown out of the transaction so that it rolls back: PostgreSQL cannot go on after a failed insert. */
  private static final class Raced extends RuntimeException {
    Raced() {
      super(null, null, false, false);
    }
  }
}
