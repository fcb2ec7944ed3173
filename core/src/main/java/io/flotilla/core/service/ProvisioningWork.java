package io.flotilla.core.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.TokenSecrets;
import io.flotilla.core.ca.CaKeyUnavailableException;
import io.flotilla.core.ca.DeviceCertificate;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceId;
import io.flotilla.core.error.DomainException;
import io.flotilla.core.error.RowError;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.provisioning.JobState;
import io.flotilla.core.provisioning.ProvisioningJob;
import io.flotilla.core.provisioning.ProvisioningRow;
import io.flotilla.core.provisioning.RowStatus;
import io.flotilla.core.store.RegistryStore;
import io.flotilla.core.store.RegistryTx;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works provisioning jobs a chunk at a time: the certificates of a chunk's rows are signed first, then one
 * transaction registers their devices and certificates, records each row's outcome and the job's counts, and
 * audits each device ({@code device.provision}, actor {@code provisioning-job:<id>}). Everything is in the registry,
 * so a restarted server goes on where it stopped; a row is finished once (its update requires it pending), so a
 * chunk a cancellation or another worker overtook is rolled back whole.
 */
public final class ProvisioningWork {
  /** Rows per transaction. */
  public static final int CHUNK = 100;
  private static final Logger LOG = LoggerFactory.getLogger(ProvisioningWork.class);

  private final RegistryStore store;
  private final Clock clock;
  private final ProvisioningJobs jobs;
  private final DeviceCertificateService certificates;
  private final AuditTrail audit;

  public ProvisioningWork(RegistryStore store, Clock clock, ProvisioningJobs jobs,
      DeviceCertificateService certificates) {
    this.store = store;
    this.clock = clock;
    this.jobs = jobs;
    this.certificates = certificates;
    this.audit = new AuditTrail(clock);
  }

  /** Works one chunk of the oldest unfinished job of any tenant; false when there was nothing to do. */
  public boolean workOnce() {
    Optional<ProvisioningJob> next = store.read(tx -> tx.provisioningJobs().oldestUnfinished());
    next.ifPresent(this::work);
    return next.isPresent();
  }

  private void work(ProvisioningJob job) {
    List<ProvisioningRow> rows = store.read(tx -> tx.provisioningJobs().pendingRows(job.tenant(), job.id(), CHUNK));
    List<Outcome> outcomes = new ArrayList<>(rows.size());
    Principal system = Principal.system(job.tenant());
    for (ProvisioningRow row : rows) {
      outcomes.add(sign(system, job, row));
    }
    try {
      Optional<ProvisioningJob> after = store.write(tx -> record(tx, job, outcomes));
      after.filter(j -> j.state() == JobState.COMPLETED).ifPresent(j -> LOG.info("Provisioning job {}/{} completed: "
          + "{} devices provisioned, {} failed", j.tenant(), j.id(), j.provisioned(), j.failed()));
    } catch (RowTaken e) {
      LOG.info("A chunk of provisioning job {}/{} was discarded: {}", job.tenant(), job.id(), e.getMessage());
    }
  }

  /** What became of a row before its transaction: the device and its signed certificate, or the error. */
  private record Outcome(ProvisioningRow row, Optional<Device> device, Optional<DeviceCertificate> certificate,
      Optional<String> error) {
    static Outcome failed(ProvisioningRow row, String error) {
      return new Outcome(row, Optional.empty(), Optional.empty(), Optional.of(error));
    }
  }

  private Outcome sign(Principal system, ProvisioningJob job, ProvisioningRow row) {
    ObjectNode fields;
    try {
      fields = (ObjectNode) Json.MAPPER.readTree(row.request());
    } catch (IOException | ClassCastException e) {
      return Outcome.failed(row, "the stored row is not a JSON object");
    }
    List<RowError> errors = new ArrayList<>();
    Optional<ProvisioningJobs.ManifestRow> read = jobs.read(row.row(), fields, new HashMap<>(), errors);
    if (read.isEmpty()) {
      return Outcome.failed(row, errors.isEmpty() ? "the row no longer reads"
          : errors.get(0).field() + " " + errors.get(0).message());
    }
    try {
      DeviceCertificateService.Signed signed = certificates.sign(system, row.deviceId(), read.get().request(),
          Duration.ofDays(job.validityDays()));
      DeviceFields f = ProvisioningJobs.deviceFields(fields, row.deviceId());
      Instant now = signed.at();
      Device device = new Device(job.tenant(), new DeviceId(row.deviceId()), f.name(), f.profile(), f.status(),
          f.tags(), f.attributes(), now, now, 1);
      return new Outcome(row, Optional.of(device), Optional.of(signed.certificate(TokenSecrets.newId("cert"),
          device.id(), Optional.empty())), Optional.empty());
    } catch (CaKeyUnavailableException e) {
      return Outcome.failed(row, "the tenant's CA cannot sign: " + e.getMessage());
    } catch (DomainException e) {
      return Outcome.failed(row, e.getMessage());
    }
  }

  private Optional<ProvisioningJob> record(RegistryTx tx, ProvisioningJob before, List<Outcome> outcomes) {
    Optional<ProvisioningJob> current = tx.provisioningJobs().find(before.tenant(), before.id());
    if (current.isEmpty() || current.get().state().isFinished()) {
      return current;
    }
    ProvisioningJob job = current.get();
    List<DeviceId> ids = outcomes.stream().flatMap(o -> o.device().stream()).map(Device::id).toList();
    Set<DeviceId> taken = tx.devices().existing(job.tenant(), ids);
    Set<DeviceId> tombstoned = tx.tombstones().existing(job.tenant(), ids);
    Set<String> profiles = new HashSet<>();
    tx.profiles().list(job.tenant()).forEach(p -> profiles.add(p.id()));
    List<Device> devices = new ArrayList<>();
    List<DeviceCertificate> issued = new ArrayList<>();
    List<AuditTrail.Change> changes = new ArrayList<>();
    int provisioned = 0;
    int failed = 0;
    for (Outcome o : outcomes) {
      Optional<String> error = o.error();
      if (error.isEmpty()) {
        Device device = o.device().orElseThrow();
        if (taken.contains(device.id())) {
          error = Optional.of("id: a device with this id was registered after the job was submitted");
        } else if (tombstoned.contains(device.id())) {
          error = Optional.of("id: this id was tombstoned after the job was submitted");
        } else if (!profiles.contains(device.profile())) {
          error = Optional.of("profile: device profile '" + device.profile() + "' was deleted after the job was "
              + "submitted");
        }
      }
      boolean finished;
      if (error.isPresent()) {
        failed++;
        finished = tx.provisioningJobs().finishRow(job.tenant(), job.id(), o.row().row(), RowStatus.FAILED,
            Optional.empty(), error);
      } else {
        provisioned++;
        DeviceCertificate certificate = o.certificate().orElseThrow();
        devices.add(o.device().orElseThrow());
        issued.add(certificate);
        changes.add(new AuditTrail.Change(o.row().deviceId(), AuditTrail.ABSENT,
            EntityJson.device(o.device().orElseThrow()).set("certificate", EntityJson.deviceCertificate(certificate))));
        finished = tx.provisioningJobs().finishRow(job.tenant(), job.id(), o.row().row(), RowStatus.PROVISIONED,
            Optional.of(certificate.id()), Optional.empty());
      }
      if (!finished) {
        throw new RowTaken("row " + o.row().row() + " is no longer pending");
      }
    }
    tx.devices().insertAll(devices);
    issued.forEach(certificate -> DeviceCertificateService.register(tx, certificate));
    audit.recordAll(tx, job.tenant(), "provisioning-job:" + job.id(), "device.provision", "device", changes);
    Instant now = clock.instant();
    int pending = outcomes.isEmpty() ? 0 : job.pending() - provisioned - failed;
    ProvisioningJob after = new ProvisioningJob(job.tenant(), job.id(),
        pending == 0 ? JobState.COMPLETED : JobState.RUNNING, job.total(), job.provisioned() + provisioned,
        job.failed() + failed, job.cancelled(), job.validityDays(), job.createdBy(), job.createdAt(), now,
        pending == 0 ? Optional.of(now) : Optional.empty());
    tx.provisioningJobs().update(after);
    return Optional.of(after);
  }

  /** A row of the chunk was finished by someone else (a cancellation, another node): the chunk rolls back. */
  private static final class RowTaken extends RuntimeException {
    RowTaken(String message) {
      super(message);
    }
  }
}
