package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.access.ApiToken;
import io.flotilla.core.access.Principal;
import io.flotilla.core.access.User;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.IssuedToken;
import io.flotilla.core.service.TenantCreated;
import io.flotilla.core.service.TenantService;
import io.flotilla.core.service.TokenService;
import io.flotilla.core.service.UserService;
import io.flotilla.core.tenant.Tenant;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Tenants, users, tokens and the caller's own identity. */
final class AccessRoutes {
  private final TenantService tenants;
  private final UserService users;
  private final TokenService tokens;
  private final ApiLimits limits;
  private final Clock clock;

  AccessRoutes(TenantService tenants, UserService users, TokenService tokens, ApiLimits limits, Clock clock) {
    this.tenants = tenants;
    this.users = users;
    this.tokens = tokens;
    this.limits = limits;
    this.clock = clock;
  }

  List<Route> routes() {
    List<Route> all = new ArrayList<>();
    Routes t = new Routes("tenants");
    t.get("/api/v1/tenants", "listTenants", "List tenants (system admin)", this::listTenants)
        .response("TenantList").add();
    t.post("/api/v1/tenants", "createTenant", "Create a tenant and its first admin; the admin token is shown once",
        this::createTenant).request("TenantCreate").response("TenantCreated").add();
    t.get("/api/v1/tenants/{id}", "getTenant", "Read a tenant (system admin)", this::getTenant)
        .response("Tenant").add();
    t.patch("/api/v1/tenants/{id}", "updateTenant", "Rename a tenant (system admin)", this::patchTenant)
        .request("TenantPatch").response("Tenant").add();
    t.delete("/api/v1/tenants/{id}", "deleteTenant", "Delete a tenant and all its data (system admin)",
        this::deleteTenant).add();
    all.addAll(t.all());

    Routes u = new Routes("users");
    u.get("/api/v1/users", "listUsers", "List the tenant's users", this::listUsers).response("UserList").add();
    u.post("/api/v1/users", "createUser", "Create a user", this::createUser).request("UserCreate")
        .response("User").add();
    u.get("/api/v1/users/{id}", "getUser", "Read a user", this::getUser).response("User").add();
    u.patch("/api/v1/users/{id}", "updateUser", "Change a user's name, role or disabled flag", this::patchUser)
        .request("UserPatch").response("User").add();
    u.delete("/api/v1/users/{id}", "deleteUser", "Delete a user and its tokens", this::deleteUser).add();
    u.get("/api/v1/whoami", "whoami", "The caller's tenant, user, token and role", this::whoami)
        .response("Principal").add();
    all.addAll(u.all());

    Routes k = new Routes("tokens");
    k.get("/api/v1/tokens", "listTokens", "List tokens (own, or all for tenant admins)", this::listTokens)
        .query("userId", "string", "only this user's tokens").response("TokenList").add();
    k.post("/api/v1/tokens", "createToken", "Issue an API token; its secret is in the response, once",
        this::createToken).request("TokenCreate").response("TokenIssued").add();
    k.get("/api/v1/tokens/{id}", "getToken", "Read a token (never its secret)", this::getToken).response("Token").add();
    k.delete("/api/v1/tokens/{id}", "revokeToken", "Revoke a token; it stops working at once", this::revokeToken)
        .add();
    all.addAll(k.all());
    return all;
  }

  private void listTenants(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    tenants.list(Authentication.principal(ctx)).forEach(t -> items.add(EntityJson.tenant(t)));
    Bodies.send(ctx, 200, body);
  }

  private void createTenant(Context ctx) {
    TenantCreated created = tenants.create(Authentication.principal(ctx), Bodies.object(ctx, limits.maxBodyBytes()));
    ObjectNode body = EntityJson.tenant(created.tenant());
    body.set("admin", EntityJson.user(created.admin()));
    body.set("adminToken", issued(created.adminToken()));
    ctx.header("Location", "/api/v1/tenants/" + created.tenant().id());
    Bodies.sendVersioned(ctx, 201, body);
  }

  private void getTenant(Context ctx) {
    Bodies.sendVersioned(ctx, 200, EntityJson.tenant(tenants.get(Authentication.principal(ctx), ctx.pathParam("id"))));
  }

  private void patchTenant(Context ctx) {
    Tenant tenant = tenants.patch(Authentication.principal(ctx), ctx.pathParam("id"),
        Bodies.object(ctx, limits.maxBodyBytes()), ETags.ifMatch(ctx));
    Bodies.sendVersioned(ctx, 200, EntityJson.tenant(tenant));
  }

  private void deleteTenant(Context ctx) {
    tenants.delete(Authentication.principal(ctx), ctx.pathParam("id"), ETags.ifMatch(ctx));
    ctx.status(204);
  }

  private void listUsers(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    users.list(Authentication.principal(ctx)).forEach(u -> items.add(EntityJson.user(u)));
    Bodies.send(ctx, 200, body);
  }

  private void createUser(Context ctx) {
    User user = users.create(Authentication.principal(ctx), Bodies.object(ctx, limits.maxBodyBytes()));
    ctx.header("Location", "/api/v1/users/" + user.id());
    Bodies.sendVersioned(ctx, 201, EntityJson.user(user));
  }

  private void getUser(Context ctx) {
    Bodies.sendVersioned(ctx, 200, EntityJson.user(users.get(Authentication.principal(ctx), ctx.pathParam("id"))));
  }

  private void patchUser(Context ctx) {
    User user = users.patch(Authentication.principal(ctx), ctx.pathParam("id"),
        Bodies.object(ctx, limits.maxBodyBytes()), ETags.ifMatch(ctx));
    Bodies.sendVersioned(ctx, 200, EntityJson.user(user));
  }

  private void deleteUser(Context ctx) {
    users.delete(Authentication.principal(ctx), ctx.pathParam("id"), ETags.ifMatch(ctx));
    ctx.status(204);
  }

  private void whoami(Context ctx) {
    Principal p = Authentication.principal(ctx);
    Bodies.send(ctx, 200, Json.object().put("tenant", p.tenant().value()).put("userId", p.userId())
        .put("tokenId", p.tokenId()).put("role", p.role().wireName()));
  }

  private void listTokens(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    for (ApiToken token : tokens.list(Authentication.principal(ctx), QueryParams.string(ctx, "userId"))) {
      items.add(EntityJson.token(token, clock.instant()));
    }
    Bodies.send(ctx, 200, body);
  }

  private void createToken(Context ctx) {
    IssuedToken issued = tokens.issue(Authentication.principal(ctx), Bodies.object(ctx, limits.maxBodyBytes()));
    ctx.header("Location", "/api/v1/tokens/" + issued.token().id());
    ctx.header("Cache-Control", "no-store");
    Bodies.send(ctx, 201, issued(issued));
  }

  private void getToken(Context ctx) {
    Bodies.send(ctx, 200, EntityJson.token(tokens.get(Authentication.principal(ctx), ctx.pathParam("id")),
        clock.instant()));
  }

  private void revokeToken(Context ctx) {
    tokens.revoke(Authentication.principal(ctx), ctx.pathParam("id"));
    ctx.status(204);
  }

  private ObjectNode issued(IssuedToken issued) {
    ObjectNode body = EntityJson.token(issued.token(), clock.instant());
    body.put("token", issued.secret());
    return body;
  }
}
