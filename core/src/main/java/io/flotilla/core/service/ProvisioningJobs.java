package io.flotilla.core.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.Identifiers;
import io.flotilla.core.access.Permission;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.ca.CertificateAuthority;
import io.flotilla.core.ca.CertificateRequest;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.error.ConflictException;
import io.flotilla.core.error.FieldError;
import io.flotilla.core.error.NotFoundException;
import io.flotilla.core.error.RowError;
import io.flotilla.core.error.RowsRejectedException;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import io.flotilla.core.provisioning.JobState;
import io.flotilla.core.provisioning.ProvisioningJob;
import io.flotilla.core.provisioning.ProvisioningRow;
import io.flotilla.core.store.RegistryStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk provisioning: a manifest of up to {@link #MAX_ROWS} devices, each with the CSR its key made
 * ({@code csrPem}) or its bare public key ({@code publicKeyPem}), becomes one job. The whole manifest is checked
 * when it is submitted and every bad row reported with its number (nothing is stored then), like a device import;
 * the job then runs in the background ({@link ProvisioningWork}), a transaction per chunk of rows, and can be read,
 * paged through row by row, and cancelled. With a public key the CA certifies a key nobody proved to hold: the
 * manifest (and the operator who submits it) is the trust anchor.
 */
public final class ProvisioningJobs {
  public static final int MAX_ROWS = 10_000;
  /** The most report rows one read returns. */
  public static final int MAX_PAGE = 1_000;
  static final Set<String> ROW_FIELDS = union(DeviceFields.CREATE_FIELDS, Set.of("csrPem", "publicKeyPem"));
  private static final Logger LOG = LoggerFactory.getLogger(ProvisioningJobs.class);

  private final RegistryStore store;
  private final Clock clock;
  private final CertificateAuthority authority;
  private final DeviceCertificateService certificates;
  private final AuditTrail audit;
  private volatile Runnable submitted = () -> { };

  public ProvisioningJobs(RegistryStore store, Clock clock, CertificateAuthority authority,
      DeviceCertificateService certificates) {
    this.store = store;
    this.clock = clock;
    this.authority = authority;
    this.certificates = certificates;
    this.audit = new AuditTrail(clock);
  }

  /** Runs {@code wake} after each job submitted here, so a worker can start at once. */
  public void onSubmitted(Runnable wake) {
    this.submitted = wake;
  }

  /**
   * Checks the manifest and stores it as a queued job. {@code parseErrors} are rows an adapter could not read (a
   * CSV line with the wrong number of columns) and count as bad rows too.
   *
   * @param validityDays the certificates' validity; the policy's default when empty
   * @throws RowsRejectedException listing every bad row; nothing is stored then
   */
  public ProvisioningJob submit(Principal principal, List<ObjectNode> rows, List<RowError> parseErrors,
      Optional<Long> validityDays) {
    principal.require(Permission.REGISTRY_WRITE);
    if (rows.isEmpty() && parseErrors.isEmpty()) {
      throw new ValidationException("", "the manifest holds no devices");
    }
    if (rows.size() + parseErrors.size() > MAX_ROWS) {
      throw new ValidationException("", "the manifest holds " + (rows.size() + parseErrors.size())
          + " devices; at most " + MAX_ROWS + " are allowed in one job (split it into several jobs)");
    }
    long maxDays = certificates.policy().maxValidity().toDays();
    if (validityDays.isPresent() && (validityDays.get() < 1 || validityDays.get() > maxDays)) {
      throw new ValidationException("validityDays", "must be from 1 to " + maxDays + " days, not " + validityDays.get());
    }
    int days = validityDays.map(Long::intValue).orElse((int) certificates.policy().defaultValidity().toDays());
    List<RowError> errors = new ArrayList<>(parseErrors);
    List<ManifestRow> good = new ArrayList<>(rows.size());
    Map<String, Integer> firstRowOfId = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      ObjectNode row = rows.get(i);
      int number = row.has(DeviceImport.ROW_FIELD) ? row.get(DeviceImport.ROW_FIELD).asInt() : i + 1;
      ObjectNode fields = row.deepCopy();
      fields.remove(DeviceImport.ROW_FIELD);
      read(number, fields, firstRowOfId, errors).ifPresent(good::add);
    }
    String id = TokenSecrets.newId("pj");
    Instant now = clock.instant();
    ProvisioningJob job = new ProvisioningJob(principal.tenant(), id, JobState.QUEUED,
        rows.size() + parseErrors.size(), 0, 0, 0, days, principal.actor(), now, now, Optional.empty());
    ProvisioningJob stored = store.write(tx -> {
      Set<String> profiles = new HashSet<>();
      tx.profiles().list(principal.tenant()).forEach(p -> profiles.add(p.id()));
      List<DeviceId> ids = good.stream()
          .map(r -> new DeviceId(r.deviceId())).toList();
      Set<DeviceId> taken = tx.devices().existing(principal.tenant(), ids);
      Set<DeviceId> tombstoned = tx.tombstones().existing(principal.tenant(), ids);
      for (ManifestRow r : good) {
        DeviceId device = new DeviceId(r.deviceId());
        if (!profiles.contains(r.profile())) {
          errors.add(new RowError(r.row(), r.deviceId(), "profile", "no device profile '" + r.profile()
              + "' exists in this tenant"));
        }
        if (taken.contains(device)) {
          errors.add(new RowError(r.row(), r.deviceId(), "id", "a device with this id exists already"));
        } else if (tombstoned.contains(device)) {
          errors.add(new RowError(r.row(), r.deviceId(), "id", "this id belonged to a device that was "
              + "decommissioned or deleted and is tombstoned; ids are never reused, choose another"));
        }
      }
      if (!errors.isEmpty()) {
        errors.sort(Comparator.comparingInt(RowError::row));
        throw new RowsRejectedException(job.total(), errors);
      }
      tx.provisioningJobs().insert(job);
      tx.provisioningJobs().insertRows(good.stream().map(r -> ProvisioningRow.pending(principal.tenant(), id,
          r.row(), r.deviceId(), Json.canonical(r.fields()))).toList());
      long bareKeys = good.stream().filter(r -> !r.request().proofOfPossession()).count();
      audit.record(tx, principal, "provisioning.submit", "provisioning-job", id, AuditTrail.ABSENT,
          ProvisioningJson.job(job).put("withCsr", good.size() - bareKeys).put("withPublicKey", bareKeys));
      return job;
    });
    LOG.info("Provisioning job {}/{} queued with {} devices", stored.tenant(), stored.id(), stored.total());
    submitted.run();
    return stored;
  }

  public ProvisioningJob get(Principal principal, String id) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> tx.provisioningJobs().find(principal.tenant(), id))
        .orElseThrow(() -> new NotFoundException("provisioning job", id));
  }

  /** The tenant's most recent jobs, newest first. */
  public List<ProvisioningJob> list(Principal principal, int limit) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> tx.provisioningJobs().list(principal.tenant(), Math.max(1, Math.min(limit, MAX_PAGE))));
  }

  /** The job's rows after row {@code afterRow}, in order, at most {@code limit} (capped at {@link #MAX_PAGE}). */
  public List<ProvisioningRow> report(Principal principal, String id, int afterRow, int limit) {
    principal.require(Permission.REGISTRY_READ);
    return store.read(tx -> {
      tx.provisioningJobs().find(principal.tenant(), id).orElseThrow(() -> new NotFoundException("provisioning job",
          id));
      return tx.provisioningJobs().rows(principal.tenant(), id, afterRow, Math.max(1, Math.min(limit, MAX_PAGE)));
    });
  }

  /**
   * Cancels the job: rows not provisioned yet are not provisioned (a chunk being worked on is discarded). Devices
   * provisioned already stay. Cancelling a finished job changes nothing.
   */
  public ProvisioningJob cancel(Principal principal, String id) {
    principal.require(Permission.REGISTRY_WRITE);
    return store.write(tx -> {
      ProvisioningJob job = tx.provisioningJobs().find(principal.tenant(), id)
          .orElseThrow(() -> new NotFoundException("provisioning job", id));
      if (job.state().isFinished()) {
        return job;
      }
      int cancelled = tx.provisioningJobs().cancelPendingRows(principal.tenant(), id);
      Instant now = clock.instant();
      ProvisioningJob after = new ProvisioningJob(job.tenant(), id, JobState.CANCELLED, job.total(),
          job.provisioned(), job.failed(), job.cancelled() + cancelled, job.validityDays(), job.createdBy(),
          job.createdAt(), now, Optional.of(now));
      tx.provisioningJobs().update(after);
      audit.record(tx, principal, "provisioning.cancel", "provisioning-job", id, ProvisioningJson.job(job),
          ProvisioningJson.job(after));
      return after;
    });
  }

  /** A manifest row that passed its own checks: the device fields, and the key to certify. */
  record ManifestRow(int row, String deviceId, String profile, ObjectNode fields, CertificateRequest request) {}

  /** Reads a row of the manifest (or of a stored job) and checks its fields and key; errors go to {@code errors}. */
  Optional<ManifestRow> read(int number, ObjectNode fields, Map<String, Integer> firstRowOfId, List<RowError> errors) {
    FieldReader r = FieldReader.of(fields, ROW_FIELDS);
    String deviceId = r.string("id").orElse("");
    if (!r.hasErrorAt("id") && !Identifiers.isEntityId(deviceId)) {
      r.error("id", deviceId.isEmpty() ? "is required" : Identifiers.describeInvalid(deviceId));
    } else if (!deviceId.isEmpty()) {
      Integer first = firstRowOfId.putIfAbsent(deviceId, number);
      if (first != null) {
        r.error("id", "'" + deviceId + "' appears twice in the manifest, first in row " + first);
      }
    }
    Optional<DeviceFields> device = DeviceFields.read(r, deviceId);
    Optional<String> csr = r.string("csrPem");
    Optional<String> publicKey = r.string("publicKeyPem");
    if (csr.isPresent() == publicKey.isPresent() && !r.hasErrorAt("csrPem") && !r.hasErrorAt("publicKeyPem")) {
      r.error(csr.isPresent() ? "publicKeyPem" : "csrPem", csr.isPresent()
          ? "must not be given with csrPem: give the device's CSR or its public key, not both"
          : "is required: the device's certificate signing request in PEM, or its public key as publicKeyPem");
    }
    CertificateRequest request = null;
    if (!r.hasErrors()) {
      try {
        request = csr.isPresent() ? authority.check("csrPem", csr.get())
            : authority.checkPublicKey("publicKeyPem", publicKey.orElseThrow());
      } catch (ValidationException e) {
        e.errors().forEach(f -> r.error(f.field(), f.message()));
      }
    }
    for (FieldError e : r.errors()) {
      errors.add(new RowError(number, deviceId, e.field(), e.message()));
    }
    if (r.hasErrors() || device.isEmpty() || request == null) {
      return Optional.empty();
    }
    return Optional.of(new ManifestRow(number, deviceId, device.get().profile(), fields, request));
  }

  /** The device a checked row registers. */
  static DeviceFields deviceFields(ObjectNode fields, String deviceId) {
    FieldReader r = FieldReader.of(fields, ROW_FIELDS);
    return DeviceFields.read(r, deviceId).filter(f -> !r.hasErrors())
        .orElseThrow(() -> new ConflictException("the stored row of device '" + deviceId + "' no longer reads"));
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
