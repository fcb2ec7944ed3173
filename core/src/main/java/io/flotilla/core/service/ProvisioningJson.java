package io.flotilla.core.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import io.flotilla.core.provisioning.ProvisioningJob;
import io.flotilla.core.provisioning.ProvisioningRow;

/** Provisioning jobs and their rows as the API and the audit log show them. */
public final class ProvisioningJson {
  private ProvisioningJson() {}

  /** A job with its counts; {@code pending} is what is left to do. */
  public static ObjectNode job(ProvisioningJob j) {
    ObjectNode n = Json.object().put("id", j.id()).put("state", j.state().wireName()).put("total", j.total())
        .put("provisioned", j.provisioned()).put("failed", j.failed()).put("cancelled", j.cancelled())
        .put("pending", j.pending()).put("validityDays", j.validityDays()).put("createdBy", j.createdBy())
        .put("createdAt", j.createdAt().toString()).put("updatedAt", j.updatedAt().toString());
    j.finishedAt().ifPresent(t -> n.put("finishedAt", t.toString()));
    return n;
  }

  /** A report row: the device, the outcome, and the certificate (id and PEM) or the error. */
  public static ObjectNode row(ProvisioningRow r) {
    ObjectNode n = Json.object().put("row", r.row()).put("deviceId", r.deviceId()).put("status", r.status().wireName());
    r.certificateId().ifPresent(c -> n.put("certificateId", c));
    r.certificatePem().ifPresent(p -> n.put("certificatePem", p));
    r.error().ifPresent(e -> n.put("error", e));
    return n;
  }
}
