package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.ca.RegisteredCa;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.RegisteredCaService;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code /api/v1/ca/registrations}: the tenant's own CAs (bring your own CA), registered with a proof that the
 * tenant holds the CA's key, and their provisioning templates for just-in-time registration of devices.
 */
final class CaRegistrationRoutes {
  private final RegisteredCaService cas;
  private final ApiLimits limits;

  CaRegistrationRoutes(RegisteredCaService cas, ApiLimits limits) {
    this.cas = cas;
    this.limits = limits;
  }

  List<Route> routes() {
    Routes r = new Routes("ca");
    r.post("/api/v1/ca/registration-codes", "newCaRegistrationCode",
        "A one-time code, valid an hour, to put as the common name of a verification certificate your CA signs",
        this::code).response("CaRegistrationCode").add();
    r.get("/api/v1/ca/registrations", "listRegisteredCas", "List the CAs the tenant registered", this::list)
        .response("RegisteredCaList").add();
    r.post("/api/v1/ca/registrations", "registerCa",
        "Register the tenant's own CA with a verification certificate it signed for a registration code; devices "
            + "it signs then register themselves on first connect by the template", this::register)
        .request("RegisteredCaCreate").response("RegisteredCa").add();
    r.get("/api/v1/ca/registrations/{id}", "getRegisteredCa", "Read a registered CA with its certificate",
        this::get).response("RegisteredCa").add();
    r.patch("/api/v1/ca/registrations/{id}", "updateRegisteredCa",
        "Replace a registered CA's provisioning template, or set it active or inactive (inactive registers no device)",
        this::patch).request("RegisteredCaPatch").response("RegisteredCa").add();
    r.delete("/api/v1/ca/registrations/{id}", "deleteRegisteredCa",
        "Remove a registered CA; devices it registered keep their certificate credentials", this::delete).add();
    return r.all();
  }

  private void code(Context ctx) {
    RegisteredCaService.RegistrationCode code = cas.newCode(Authentication.principal(ctx));
    ctx.header("Cache-Control", "no-store");
    Bodies.send(ctx, 201, Json.object().put("code", code.code()).put("expiresAt", code.expiresAt().toString()));
  }

  private void list(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    cas.list(Authentication.principal(ctx)).forEach(ca -> items.add(EntityJson.registeredCa(ca)));
    Bodies.send(ctx, 200, body);
  }

  private void register(Context ctx) {
    RegisteredCa ca = cas.register(Authentication.principal(ctx), Bodies.object(ctx, limits.maxBodyBytes()));
    ctx.header("Location", "/api/v1/ca/registrations/" + ca.id());
    Bodies.sendVersioned(ctx, 201, full(ca));
  }

  private void get(Context ctx) {
    Bodies.sendVersioned(ctx, 200, full(cas.get(Authentication.principal(ctx), ctx.pathParam("id"))));
  }

  private void patch(Context ctx) {
    RegisteredCa ca = cas.patch(Authentication.principal(ctx), ctx.pathParam("id"),
        Bodies.object(ctx, limits.maxBodyBytes()), ETags.ifMatch(ctx));
    Bodies.sendVersioned(ctx, 200, full(ca));
  }

  private void delete(Context ctx) {
    cas.delete(Authentication.principal(ctx), ctx.pathParam("id"), ETags.ifMatch(ctx));
    ctx.status(204);
  }

  private static ObjectNode full(RegisteredCa ca) {
    return EntityJson.registeredCa(ca).put("certificatePem", ca.certificatePem());
  }
}
