package io.flotilla.core.store;

import io.flotilla.core.provisioning.ProvisioningJob;
import io.flotilla.core.provisioning.ProvisioningRow;
import io.flotilla.core.provisioning.RowStatus;
import io.flotilla.core.tenant.TenantId;
import java.util.List;
import java.util.Optional;

/** Bulk provisioning jobs and their rows; both go with their tenant. */
public interface ProvisioningJobRepository {
  void insert(ProvisioningJob job);

  /** Inserts pending rows in batches. */
  void insertRows(List<ProvisioningRow> rows);

  Optional<ProvisioningJob> find(TenantId tenant, String id);

  /** The tenant's jobs, newest first, at most {@code limit}. */
  List<ProvisioningJob> list(TenantId tenant, int limit);

  /** The oldest queued or running job of any tenant: the work to do next (and to resume after a restart). */
  Optional<ProvisioningJob> oldestUnfinished();

  /** The job's rows after row number {@code afterRow}, in row order, at most {@code limit}, with certificate PEMs. */
  List<ProvisioningRow> rows(TenantId tenant, String jobId, int afterRow, int limit);

  /** The job's pending rows in row order, at most {@code limit} (without certificate PEMs). */
  List<ProvisioningRow> pendingRows(TenantId tenant, String jobId, int limit);

  /**
   * Records a pending row's outcome; false when the row is not pending any more (the job was cancelled, or
   * another worker got there first).
   */
  boolean finishRow(TenantId tenant, String jobId, int row, RowStatus status, Optional<String> certificateId,
      Optional<String> error);

  /** Marks every pending row of the job cancelled; returns how many. */
  int cancelPendingRows(TenantId tenant, String jobId);

  /** Writes the job's state and counts. */
  void update(ProvisioningJob job);
}
