package io.flotilla.core.provisioning;

import io.flotilla.core.tenant.TenantId;
import java.util.Objects;
import java.util.Optional;

/**
 * One manifest row and its outcome.
 *
 * @param row the row's number in the manifest (CSV data rows and JSON array elements count from 1)
 * @param request the row as submitted (device fields and its {@code csrPem} or {@code publicKeyPem}), JSON text
 * @param certificateId the certificate issued, once provisioned
 * @param certificatePem its PEM, filled in by reads of the report
 * @param error why the row failed
 */
public record ProvisioningRow(TenantId tenant, String jobId, int row, String deviceId, String request,
    RowStatus status, Optional<String> certificateId, Optional<String> certificatePem, Optional<String> error) {
  public ProvisioningRow {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(certificateId, "certificateId");
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(error, "error");
  }

  public static ProvisioningRow pending(TenantId tenant, String jobId, int row, String deviceId, String request) {
    return new ProvisioningRow(tenant, jobId, row, deviceId, request, RowStatus.PENDING, Optional.empty(),
        Optional.empty(), Optional.empty());
  }

  @Override
  public String toString() {
    return "ProvisioningRow[" + tenant + "/" + jobId + "#" + row + " " + deviceId + " " + status.wireName() + "]";
  }
}
