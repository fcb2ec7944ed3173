package io.flotilla.store.sql;

import static io.flotilla.store.sql.RegistryFixtures.ACME;
import static io.flotilla.store.sql.RegistryFixtures.GLOBEX;
import static io.flotilla.store.sql.RegistryFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.core.provisioning.JobState;
import io.flotilla.core.provisioning.ProvisioningJob;
import io.flotilla.core.provisioning.ProvisioningRow;
import io.flotilla.core.provisioning.RowStatus;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.RegistryTx;
import io.flotilla.core.tenant.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Bulk provisioning jobs: their counts, their rows' outcomes, the unfinished ones across tenants. */
public abstract class ProvisioningJobContract extends ContractPart {

  static ProvisioningJob job(TenantId tenant, String id, int total, JobState state, int secondsAfterT0) {
    return new ProvisioningJob(tenant, id, state, total, 0, 0, 0, 365, "user:u/token:t",
        T0.plusSeconds(secondsAfterT0), T0.plusSeconds(secondsAfterT0), Optional.empty());
  }

  static List<ProvisioningRow> rows(TenantId tenant, String job, int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> ProvisioningRow.pending(tenant, job, i, "d-" + i,
        "{\"id\":\"d-" + i + "\"}")).toList();
  }

  /** A job reads back as written; its rows come in row order, pending ones only when asked so, per tenant. */
  @Test
  void jobAndRowsRoundTripPerTenant() {
    ProvisioningJob job = job(ACME, "pj_1", 5, JobState.QUEUED, 0);
    inWrite(tx -> {
      tx.provisioningJobs().insert(job);
      tx.provisioningJobs().insertRows(rows(ACME, "pj_1", 5).reversed());
    });

    assertThat(read((RegistryTx tx) -> tx.provisioningJobs().find(ACME, "pj_1"))).contains(job);
    assertThat(read((RegistryTx tx) -> tx.provisioningJobs().find(GLOBEX, "pj_1"))).isEmpty();
    assertThat(read((RegistryTx tx) -> tx.provisioningJobs().rows(ACME, "pj_1", 2, 2)))
        .extracting(ProvisioningRow::row).containsExactly(3, 4);
    assertThat(read((RegistryTx tx) -> tx.provisioningJobs().rows(GLOBEX, "pj_1", 0, 10))).isEmpty();
    assertThatThrownBy(() -> inWrite(tx -> tx.provisioningJobs().insert(job)))
        .isInstanceOf(DuplicateKeyException.class);
  }

  /** A row is finished once; cancelling takes only the pending rows; counts and state are written back. */
  @Test
  void rowsAreFinishedOnceAndCancelledWhilePending() {
    inWrite(tx -> {
      tx.provisioningJobs().insert(job(ACME, "pj_1", 4, JobState.RUNNING, 0));
      tx.provisioningJobs().insertRows(rows(ACME, "pj_1", 4));
    });

    assertThat(write((RegistryTx tx) -> tx.provisioningJobs().finishRow(ACME, "pj_1", 1, RowStatus.FAILED,
        Optional.empty(), Optional.of("id: taken")))).isTrue();
    assertThat(write((RegistryTx tx) -> tx.provisioningJobs().finishRow(ACME, "pj_1", 1, RowStatus.PROVISIONED,
        Optional.of("cert_1"), Optional.empty()))).isFalse();
    assertThat(read((RegistryTx tx) -> tx.provisioningJobs().pendingRows(ACME, "pj_1", 10)))
        .extracting(ProvisioningRow::row).containsExactly(2, 3, 4);
    assertThat(write((RegistryTx tx) -> tx.provisioningJobs().cancelPendingRows(ACME, "pj_1"))).isEqualTo(3);
    ProvisioningJob cancelled = new ProvisioningJob(ACME, "pj_1", JobState.CANCELLED, 4, 0, 1, 3, 365,
        "user:u/token:t", T0, T0.plusSeconds(9), Optional.of(T0.plusSeconds(9)));
    inWrite(tx -> tx.provisioningJobs().update(cancelled));

    assertThat(read((RegistryTx tx) -> tx.provisioningJobs().find(ACME, "pj_1"))).contains(cancelled);
    List<ProvisioningRow> report = read((RegistryTx tx) -> tx.provisioningJobs().rows(ACME, "pj_1", 0, 10));
    assertThat(report).extracting(ProvisioningRow::status).containsExactly(RowStatus.FAILED, RowStatus.CANCELLED,
        RowStatus.CANCELLED, RowStatus.CANCELLED);
    assertThat(report.get(0).error()).contains("id: taken");
  }

  /** The unfinished jobs of every tenant come oldest first; finished ones and deleted tenants' do not. */
  @Test
  void unfinishedJobsSpanTenantsOldestFirst() {
    inWrite(tx -> {
      tx.provisioningJobs().insert(job(ACME, "pj_b", 1, JobState.RUNNING, 20));
      tx.provisioningJobs().insert(job(GLOBEX, "pj_a", 1, JobState.QUEUED, 10));
      tx.provisioningJobs().insert(new ProvisioningJob(ACME, "pj_c", JobState.COMPLETED, 1, 1, 0, 0, 365, "x", T0,
          T0, Optional.of(T0)));
      tx.provisioningJobs().insertRows(rows(GLOBEX, "pj_a", 1));
    });

    assertThat(read((RegistryTx tx) -> tx.provisioningJobs().oldestUnfinished())).map(ProvisioningJob::id)
        .as("the oldest unfinished of any tenant; the completed pj_c is older still").contains("pj_a");
    assertThat(read((RegistryTx tx) -> tx.provisioningJobs().list(ACME, 10))).extracting(ProvisioningJob::id)
        .containsExactly("pj_b", "pj_c");
    inWrite(tx -> tx.tenants().delete(GLOBEX));
    assertThat(read((RegistryTx tx) -> tx.provisioningJobs().oldestUnfinished())).map(ProvisioningJob::id)
        .contains("pj_b");
  }
}
