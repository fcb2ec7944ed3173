package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.error.UnauthorizedException;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.provisioning.ClaimCertificate;
import io.flotilla.core.provisioning.EnrollmentGroup;
import io.flotilla.core.provisioning.ProvisioningOutcome;
import io.flotilla.core.service.EnrollmentService;
import io.flotilla.core.service.ProvisioningService;
import io.flotilla.core.service.ProvisioningService.ClaimCheck;
import io.javalin.http.Context;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * {@code /api/v1/enrollment-groups}: provisioning by claim, managed by tenant administrators; and
 * {@code POST /device/v1/provisioning/register}, where a device proves membership (the claim certificate as HTTPS
 * client certificate, or {@code Authorization: Provision <group id> <device id> <proof>}) and gets its device.
 */
final class EnrollmentRoutes {
  static final String SCHEME = "Provision";

  private final EnrollmentService enrollments;
  private final ProvisioningService provisioning;
  private final ApiLimits limits;

  EnrollmentRoutes(EnrollmentService enrollments, ProvisioningService provisioning, ApiLimits limits) {
    this.enrollments = enrollments;
    this.provisioning = provisioning;
    this.limits = limits;
  }

  List<Route> routes() {
    Routes r = new Routes("provisioning");
    r.get("/api/v1/enrollment-groups", "listEnrollmentGroups", "List the tenant's enrollment groups", this::list)
        .response("EnrollmentGroupList").add();
    r.post("/api/v1/enrollment-groups", "createEnrollmentGroup",
        "Create an enrollment group for provisioning by claim; a symmetric-key group's key is in this answer only",
        this::create).request("EnrollmentGroupCreate").response("EnrollmentGroup").add();
    r.get("/api/v1/enrollment-groups/{id}", "getEnrollmentGroup", "Read an enrollment group", this::get)
        .response("EnrollmentGroup").add();
    r.patch("/api/v1/enrollment-groups/{id}", "updateEnrollmentGroup",
        "Change an enrollment group's name, template, device id prefix, rate or status", this::patch)
        .request("EnrollmentGroupPatch").response("EnrollmentGroup").add();
    r.delete("/api/v1/enrollment-groups/{id}", "deleteEnrollmentGroup",
        "Remove an enrollment group and its claim certificates; devices it provisioned stay", this::delete).add();
    r.get("/api/v1/enrollment-groups/{id}/claim-certificates", "listClaimCertificates",
        "List the claim certificates of an enrollment group", this::claims).response("ClaimCertificateList").add();
    r.post("/api/v1/enrollment-groups/{id}/claim-certificates", "addClaimCertificate",
        "Issue a claim certificate from the tenant CA for a CSR, or register an existing certificate as a claim",
        this::addClaim).request("ClaimCertificateCreate").response("ClaimCertificate").add();
    r.delete("/api/v1/enrollment-groups/{id}/claim-certificates/{claimId}", "deleteClaimCertificate",
        "Remove a claim certificate: it provisions nothing more", this::deleteClaim).add();
    r.post("/device/v1/provisioning/register", "provisionDevice",
        "Provision a device by claim (the claim certificate as HTTPS client certificate, or Authorization: "
            + "Provision <group id> <device id> <proof>): a CSR gets a certificate, or no CSR a device token",
        this::register).status(201).request("ProvisioningRequest").response("ProvisioningAnswer").device().add();
    return r.all();
  }

  private void list(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    enrollments.list(Authentication.principal(ctx)).forEach(g -> items.add(EntityJson.enrollmentGroup(g)));
    Bodies.send(ctx, 200, body);
  }

  private void create(Context ctx) {
    EnrollmentService.Created created = enrollments.create(Authentication.principal(ctx),
        Bodies.object(ctx, limits.maxBodyBytes()));
    ObjectNode body = EntityJson.enrollmentGroup(created.group());
    created.symmetricKeyHex().ifPresent(key -> body.put("symmetricKey", key));
    ctx.header("Cache-Control", "no-store");
    ctx.header("Location", "/api/v1/enrollment-groups/" + created.group().id());
    Bodies.sendVersioned(ctx, 201, body);
  }

  private void get(Context ctx) {
    Bodies.sendVersioned(ctx, 200, EntityJson.enrollmentGroup(enrollments.get(Authentication.principal(ctx),
        ctx.pathParam("id"))));
  }

  private void patch(Context ctx) {
    EnrollmentGroup group = enrollments.patch(Authentication.principal(ctx), ctx.pathParam("id"),
        Bodies.object(ctx, limits.maxBodyBytes()), ETags.ifMatch(ctx));
    Bodies.sendVersioned(ctx, 200, EntityJson.enrollmentGroup(group));
  }

  private void delete(Context ctx) {
    enrollments.delete(Authentication.principal(ctx), ctx.pathParam("id"), ETags.ifMatch(ctx));
    ctx.status(204);
  }

  private void claims(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    enrollments.claims(Authentication.principal(ctx), ctx.pathParam("id"))
        .forEach(c -> items.add(EntityJson.claimCertificate(c)));
    Bodies.send(ctx, 200, body);
  }

  private void addClaim(Context ctx) {
    ClaimCertificate claim = enrollments.addClaim(Authentication.principal(ctx), ctx.pathParam("id"),
        Bodies.object(ctx, limits.maxBodyBytes()));
    Bodies.send(ctx, 201, EntityJson.claimCertificate(claim).put("certificatePem", claim.certificatePem()));
  }

  private void deleteClaim(Context ctx) {
    enrollments.deleteClaim(Authentication.principal(ctx), ctx.pathParam("id"), ctx.pathParam("claimId"));
    ctx.status(204);
  }

  private void register(Context ctx) {
    ClaimCheck check = claim(ctx);
    ClaimCheck.Claimed claimed = switch (check) {
      case ClaimCheck.Claimed c -> c;
      case ClaimCheck.Refused refused -> throw unauthorized(ctx, "provisioning claim refused: " + refused.detail());
      case ClaimCheck.NotAClaim none -> throw unauthorized(ctx, "present a claim certificate of an enrollment group "
          + "as client certificate (HTTPS port), or Authorization: " + SCHEME + " <group id> <device id> <proof>");
    };
    ProvisioningOutcome outcome = provisioning.register(claimed.claim(), Bodies.object(ctx, limits.maxBodyBytes()));
    ctx.header("Cache-Control", "no-store");
    switch (outcome) {
      case ProvisioningOutcome.Provisioned p -> Bodies.send(ctx, 201, p.json());
      case ProvisioningOutcome.Refused refused -> {
        refused.retryAfterSeconds().ifPresent(s -> ctx.header("Retry-After", Long.toString(s)));
        Bodies.send(ctx, refused.code().httpStatus(), refused.json());
      }
    }
  }

  private ClaimCheck claim(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null && header.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
      String[] parts = header.substring(SCHEME.length() + 1).trim().split(" +");
      if (parts.length != 3) {
        return new ClaimCheck.Refused("the header is Authorization: " + SCHEME + " <group id> <device id> <proof>");
      }
      return provisioning.bySymmetricKey(ProvisioningService.USER_PREFIX + parts[0] + ":" + parts[1], parts[2]);
    }
    Optional<X509Certificate> certificate = ClientCertificates.leaf(ctx);
    return certificate.map(provisioning::byClaimCertificate).orElseGet(ClaimCheck.NotAClaim::new);
  }

  private static UnauthorizedException unauthorized(Context ctx, String detail) {
    ctx.header("WWW-Authenticate", SCHEME + " realm=\"flotilla-provisioning\"");
    return new UnauthorizedException(detail);
  }
}
