package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.CertificateExpiryService;
import io.flotilla.core.service.DecommissionService;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The end of a device's life and of its certificates': decommissioning, and certificates about to expire. */
final class DeviceLifecycleRoutes {
  private final DecommissionService decommissions;
  private final CertificateExpiryService expiry;
  private final ApiLimits limits;
  private final Clock clock;

  DeviceLifecycleRoutes(DecommissionService decommissions, CertificateExpiryService expiry, ApiLimits limits,
      Clock clock) {
    this.decommissions = decommissions;
    this.expiry = expiry;
    this.limits = limits;
    this.clock = clock;
  }

  List<Route> routes() {
    Routes r = new Routes("devices");
    r.post("/api/v1/devices/{id}/decommission", "decommissionDevice",
        "Decommission a device for good: revoke every credential (certificates go on the CRL), close its live "
            + "connection, remove it from its groups, purge its telemetry now or leave it to the profile's retention, "
            + "audit it, and tombstone its id so no new device takes it. Calling it again changes nothing",
        this::decommission).status(200).request("DecommissionRequest").response("Decommissioned").add();
    Routes c = new Routes("ca");
    c.get("/api/v1/certificates/expiring", "listExpiringCertificates",
        "Active device certificates whose validity ends within the given days, soonest first, with when their "
            + "certificate.expiring event was emitted", this::expiring)
        .query("withinDays", "integer", "1 to 3650 days (default: the server's ca.expiry-warning-days)")
        .response("ExpiringCertificateList").add();
    List<Route> all = new java.util.ArrayList<>(r.all());
    all.addAll(c.all());
    return all;
  }

  private void decommission(Context ctx) {
    DecommissionService.Decommissioned done = decommissions.decommission(Authentication.principal(ctx),
        ctx.pathParam("id"), Bodies.bytes(ctx, limits.maxBodyBytes()).length == 0 ? Json.object()
            : Bodies.object(ctx, limits.maxBodyBytes()));
    ObjectNode body = EntityJson.tombstone(done.tombstone());
    body.set("device", EntityJson.device(done.device()));
    Bodies.send(ctx, 200, body);
  }

  private void expiring(Context ctx) {
    long days = QueryParams.positiveLong(ctx, "withinDays").orElse(expiry.windowDays());
    int within = (int) Math.min(days, Integer.MAX_VALUE);
    Instant now = clock.instant();
    ObjectNode body = Json.object().put("withinDays", within);
    ArrayNode items = body.putArray("items");
    expiry.expiring(Authentication.principal(ctx), within).forEach(e -> items.add(CertificateExpiryService.json(e, now)));
    Bodies.send(ctx, 200, body);
  }
}
