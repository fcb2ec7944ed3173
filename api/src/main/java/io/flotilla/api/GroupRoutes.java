package io.flotilla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.group.DeviceGroup;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.FieldReader;
import io.flotilla.core.json.Json;
import io.flotilla.core.service.DeviceService;
import io.flotilla.core.service.GroupService;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code /api/v1/groups}: static and dynamic device groups and their members. */
final class GroupRoutes {
  private final GroupService groups;
  private final DeviceService devices;
  private final ApiLimits limits;

  GroupRoutes(GroupService groups, DeviceService devices, ApiLimits limits) {
    this.groups = groups;
    this.devices = devices;
    this.limits = limits;
  }

  List<Route> routes() {
    Routes r = new Routes("groups");
    r.get("/api/v1/groups", "listGroups", "List groups", this::list).response("GroupList").add();
    r.post("/api/v1/groups", "createGroup", "Create a static or dynamic group", this::create)
        .request("GroupCreate").response("Group").add();
    r.get("/api/v1/groups/{id}", "getGroup", "Read a group", this::get).response("Group").add();
    r.patch("/api/v1/groups/{id}", "updateGroup", "Change a group with a JSON merge patch", this::patch)
        .request("GroupPatch").response("Group").add();
    r.delete("/api/v1/groups/{id}", "deleteGroup", "Delete a group (its devices stay)", this::delete).add();
    DeviceRoutes.listQuery(r.get("/api/v1/groups/{id}/devices", "listGroupDevices",
        "List the group's devices, with the same filters and paging as the device list", this::members))
        .response("DevicePage").add();
    r.post("/api/v1/groups/{id}/devices", "addGroupDevices", "Add devices to a static group", this::addMembers)
        .status(200).request("GroupMembers").response("MembersAdded").add();
    r.delete("/api/v1/groups/{id}/devices/{deviceId}", "removeGroupDevice", "Remove a device from a static group",
        this::removeMember).add();
    return r.all();
  }

  private void list(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    groups.list(Authentication.principal(ctx)).forEach(g -> items.add(EntityJson.group(g)));
    Bodies.send(ctx, 200, body);
  }

  private void create(Context ctx) {
    DeviceGroup group = groups.create(Authentication.principal(ctx), Bodies.object(ctx, limits.maxBodyBytes()));
    ctx.header("Location", "/api/v1/groups/" + group.id());
    Bodies.sendVersioned(ctx, 201, EntityJson.group(group));
  }

  private void get(Context ctx) {
    Bodies.sendVersioned(ctx, 200, EntityJson.group(groups.get(Authentication.principal(ctx), ctx.pathParam("id"))));
  }

  private void patch(Context ctx) {
    DeviceGroup group = groups.patch(Authentication.principal(ctx), ctx.pathParam("id"),
        Bodies.object(ctx, limits.maxBodyBytes()), ETags.ifMatch(ctx));
    Bodies.sendVersioned(ctx, 200, EntityJson.group(group));
  }

  private void delete(Context ctx) {
    groups.delete(Authentication.principal(ctx), ctx.pathParam("id"), ETags.ifMatch(ctx));
    ctx.status(204);
  }

  private void members(Context ctx) {
    String id = ctx.pathParam("id");
    groups.get(Authentication.principal(ctx), id);
    if (ctx.queryParam("group") != null) {
      throw new BadRequestException("query parameter 'group' is implied by the path here");
    }
    DeviceRoutes.sendPage(ctx, devices.list(Authentication.principal(ctx),
        DeviceRoutes.listRequest(ctx, Optional.of(id))));
  }

  private void addMembers(Context ctx) {
    FieldReader r = FieldReader.of(Bodies.object(ctx, limits.maxBulkBodyBytes()), Set.of("deviceIds"));
    List<String> ids = r.stringList("deviceIds");
    r.throwIfErrors();
    if (ids.isEmpty()) {
      throw new ValidationException("deviceIds", "is required: list the ids of the devices to add");
    }
    int added = groups.addMembers(Authentication.principal(ctx), ctx.pathParam("id"), ids);
    Bodies.send(ctx, 200, Json.object().put("added", added).put("requested", ids.size()));
  }

  private void removeMember(Context ctx) {
    groups.removeMember(Authentication.principal(ctx), ctx.pathParam("id"), ctx.pathParam("deviceId"));
    ctx.status(204);
  }
}
