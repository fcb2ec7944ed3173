package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.CredentialService;
import io.javalin.http.Context;
import java.util.List;

/** {@code /api/v1/devices/{id}/credentials}: device tokens and registered certificates. */
final class CredentialRoutes {
  private final CredentialService credentials;
  private final ApiLimits limits;

  CredentialRoutes(CredentialService credentials, ApiLimits limits) {
    this.credentials = credentials;
    this.limits = limits;
  }

  List<Route> routes() {
    Routes r = new Routes("devices");
    r.get("/api/v1/devices/{id}/credentials", "listDeviceCredentials", "List a device's credentials (never secrets)",
        this::list).response("CredentialList").add();
    r.post("/api/v1/devices/{id}/credentials", "createDeviceCredential",
        "Issue a device token ({\"type\":\"token\"}; the secret is in 'token', once) or register a certificate "
            + "({\"type\":\"x509\",\"certificatePem\":…})", this::create)
        .request("CredentialCreate").response("CredentialIssued").add();
    r.delete("/api/v1/devices/{id}/credentials/{credentialId}", "revokeDeviceCredential",
        "Revoke a credential; the device can no longer connect with it", this::revoke).add();
    return r.all();
  }

  private void list(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    credentials.list(Authentication.principal(ctx), ctx.pathParam("id"))
        .forEach(c -> items.add(EntityJson.credential(c)));
    Bodies.send(ctx, 200, body);
  }

  private void create(Context ctx) {
    CredentialService.IssuedCredential issued = credentials.issue(Authentication.principal(ctx), ctx.pathParam("id"),
        Bodies.object(ctx, limits.maxBodyBytes()));
    ObjectNode body = EntityJson.credential(issued.credential());
    issued.secret().ifPresent(secret -> body.put("token", secret));
    ctx.header("Cache-Control", "no-store");
    Bodies.send(ctx, 201, body);
  }

  private void revoke(Context ctx) {
    credentials.revoke(Authentication.principal(ctx), ctx.pathParam("id"), ctx.pathParam("credentialId"));
    ctx.status(204);
  }
}
