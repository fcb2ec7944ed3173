package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.ca.DeviceCertificate;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.DeviceCertificateService;
import io.javalin.http.Context;
import java.util.List;

/** {@code /api/v1/devices/{id}/certificates}: certificates the tenant CA issues from the device's CSR. */
final class DeviceCertificateRoutes {
  private final DeviceCertificateService certificates;
  private final ApiLimits limits;

  DeviceCertificateRoutes(DeviceCertificateService certificates, ApiLimits limits) {
    this.certificates = certificates;
    this.limits = limits;
  }

  List<Route> routes() {
    Routes r = new Routes("devices");
    r.get("/api/v1/devices/{id}/certificates", "listDeviceCertificates",
        "List the certificates the tenant CA issued to a device, active and revoked", this::list)
        .response("DeviceCertificateList").add();
    r.post("/api/v1/devices/{id}/certificates", "issueDeviceCertificate",
        "Issue a client certificate from the device's CSR (subject CN = device id and validity set by policy); "
            + "the device can connect with it over MQTTS at once", this::issue)
        .request("CertificateSigningRequest").response("DeviceCertificateIssued").add();
    r.post("/api/v1/devices/{id}/certificates/{certificateId}/revoke", "revokeDeviceCertificate",
        "Revoke a certificate: its credential too (a live connection using it is closed), and it goes on the CRL",
        this::revoke).status(200).response("DeviceCertificate").add();
    return r.all();
  }

  private void list(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    certificates.list(Authentication.principal(ctx), ctx.pathParam("id"))
        .forEach(c -> items.add(EntityJson.deviceCertificate(c)));
    Bodies.send(ctx, 200, body);
  }

  private void issue(Context ctx) {
    DeviceCertificate issued = certificates.issue(Authentication.principal(ctx), ctx.pathParam("id"),
        Bodies.object(ctx, limits.maxBodyBytes()));
    Bodies.send(ctx, 201, EntityJson.deviceCertificate(issued).put("certificatePem", issued.certificatePem()));
  }

  private void revoke(Context ctx) {
    Bodies.send(ctx, 200, EntityJson.deviceCertificate(certificates.revoke(Authentication.principal(ctx),
        ctx.pathParam("id"), ctx.pathParam("certificateId"))));
  }
}
