package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.device.DeviceProfile;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.ProfileService;
import io.javalin.http.Context;
import java.util.List;

/** {@code /api/v1/device-profiles}: device types. */
final class ProfileRoutes {
  private final ProfileService profiles;
  private final ApiLimits limits;

  ProfileRoutes(ProfileService profiles, ApiLimits limits) {
    this.profiles = profiles;
    this.limits = limits;
  }

  List<Route> routes() {
    Routes r = new Routes("device-profiles");
    r.get("/api/v1/device-profiles", "listProfiles", "List device profiles", this::list).response("ProfileList").add();
    r.post("/api/v1/device-profiles", "createProfile", "Create a device profile", this::create)
        .request("ProfileCreate").response("Profile").add();
    r.get("/api/v1/device-profiles/{id}", "getProfile", "Read a device profile", this::get).response("Profile").add();
    r.patch("/api/v1/device-profiles/{id}", "updateProfile", "Change a device profile with a JSON merge patch",
        this::patch).request("ProfilePatch").response("Profile").add();
    r.delete("/api/v1/device-profiles/{id}", "deleteProfile", "Delete a device profile no device uses", this::delete)
        .add();
    return r.all();
  }

  private void list(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    profiles.list(Authentication.principal(ctx)).forEach(p -> items.add(EntityJson.profile(p)));
    Bodies.send(ctx, 200, body);
  }

  private void create(Context ctx) {
    DeviceProfile profile = profiles.create(Authentication.principal(ctx), Bodies.object(ctx, limits.maxBodyBytes()));
    ctx.header("Location", "/api/v1/device-profiles/" + profile.id());
    Bodies.sendVersioned(ctx, 201, EntityJson.profile(profile));
  }

  private void get(Context ctx) {
    Bodies.sendVersioned(ctx, 200, EntityJson.profile(profiles.get(Authentication.principal(ctx),
        ctx.pathParam("id"))));
  }

  private void patch(Context ctx) {
    DeviceProfile profile = profiles.patch(Authentication.principal(ctx), ctx.pathParam("id"),
        Bodies.object(ctx, limits.maxBodyBytes()), ETags.ifMatch(ctx));
    Bodies.sendVersioned(ctx, 200, EntityJson.profile(profile));
  }

  private void delete(Context ctx) {
    profiles.delete(Authentication.principal(ctx), ctx.pathParam("id"), ETags.ifMatch(ctx));
    ctx.status(204);
  }
}
