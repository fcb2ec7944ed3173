package io.flotilla.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.device.Device;
import io.flotilla.core.device.DeviceFilter;
import io.flotilla.core.device.DeviceSort;
import io.flotilla.core.device.DeviceStatus;
import io.flotilla.core.error.ValidationException;
import io.flotilla.core.json.EntityJson;
import io.flotilla.core.json.Json;
import io.flotilla.core.paging.Page;
import io.flotilla.core.service.DeviceImport;
import io.flotilla.core.service.DeviceListRequest;
import io.flotilla.core.service.DeviceService;
import io.flotilla.core.service.ImportResult;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /api/v1/devices}: the device registry, its list with filters and paging, and bulk import. */
final class DeviceRoutes {
  private final DeviceService devices;
  private final DeviceImport imports;
  private final ApiLimits limits;

  DeviceRoutes(DeviceService devices, DeviceImport imports, ApiLimits limits) {
    this.devices = devices;
    this.imports = imports;
    this.limits = limits;
  }

  List<Route> routes() {
    Routes r = new Routes("devices");
    listQuery(r.get("/api/v1/devices", "listDevices", "List devices, filtered, sorted and paged", this::list))
        .response("DevicePage").add();
    r.post("/api/v1/devices", "createDevice", "Register a device", this::create)
        .request("DeviceCreate").response("Device").add();
    r.post("/api/v1/devices/bulk", "importDevices",
        "Register many devices at once from a JSON array or CSV (text/csv); all or nothing", this::bulk)
        .request("DeviceImport").response("ImportResult").add();
    r.get("/api/v1/devices/{id}", "getDevice", "Read a device", this::get).response("Device").add();
    r.patch("/api/v1/devices/{id}", "updateDevice", "Change a device with a JSON merge patch (If-Match for safety)",
        this::patch).request("DevicePatch").response("Device").add();
    r.delete("/api/v1/devices/{id}", "deleteDevice", "Delete a device; its id stays tombstoned so that no new device "
        + "takes it, unless a tenant admin passes forgetId=true (which also releases the id of a device deleted before)",
        this::delete).query("forgetId", "boolean", "true: release the id for reuse (tenant admins only)").add();
    return r.all();
  }

  /** The query parameters shared by every device list. */
  static Routes.Builder listQuery(Routes.Builder b) {
    return b.query("profile", "string", "only devices of this profile")
        .query("status", "string", "provisioned, active, suspended or decommissioned")
        .query("group", "string", "only members of this static or dynamic group")
        .repeatableQuery("tag", "key:value that the device's tags must contain; repeat for several")
        .query("idPrefix", "string", "only ids starting with this")
        .query("online", "boolean", "true: only devices connected now; false: only devices not connected now")
        .query("sort", "string", "id, createdAt, updatedAt, name, status or profile; '-' before it for descending")
        .query("limit", "integer", "page size, 1 to 1000 (default 100)")
        .query("cursor", "string", "nextCursor of the previous page");
  }

  private void list(Context ctx) {
    sendPage(ctx, devices.list(Authentication.principal(ctx), listRequest(ctx, QueryParams.string(ctx, "group"))));
  }

  static DeviceListRequest listRequest(Context ctx, Optional<String> group) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String tag : ctx.queryParams("tag")) {
      int colon = tag.indexOf(':');
      if (colon < 1) {
        throw new BadRequestException("query parameter 'tag' must be key:value, got '" + tag + "'");
      }
      tags.put(tag.substring(0, colon), tag.substring(colon + 1));
    }
    Optional<DeviceStatus> status = QueryParams.string(ctx, "status").map(s -> DeviceStatus.fromWire("status", s));
    DeviceFilter filter = new DeviceFilter(QueryParams.string(ctx, "profile"), status, tags, Optional.empty(),
        QueryParams.string(ctx, "idPrefix"), QueryParams.bool(ctx, "online"));
    DeviceSort sort = QueryParams.string(ctx, "sort").map(DeviceSort::parse).orElse(DeviceSort.BY_ID);
    int limit = QueryParams.limit(ctx, DeviceListRequest.DEFAULT_LIMIT, DeviceListRequest.MAX_LIMIT);
    return new DeviceListRequest(filter, group, sort, limit, QueryParams.string(ctx, "cursor"));
  }

  static void sendPage(Context ctx, Page<Device> page) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    page.items().forEach(d -> items.add(EntityJson.device(d)));
    page.nextCursor().ifPresent(c -> body.put("nextCursor", c));
    Bodies.send(ctx, 200, body);
  }

  private void create(Context ctx) {
    Device device = devices.create(Authentication.principal(ctx), Bodies.object(ctx, limits.maxBodyBytes()));
    ctx.header("Location", "/api/v1/devices/" + device.id());
    Bodies.sendVersioned(ctx, 201, EntityJson.device(device));
  }

  private void bulk(Context ctx) {
    String contentType = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(java.util.Locale.ROOT);
    ImportResult result;
    if (contentType.startsWith("text/csv")) {
      DeviceCsv.Parsed parsed = DeviceCsv.parse(
          new String(Bodies.bytes(ctx, limits.maxBulkBodyBytes()), StandardCharsets.UTF_8));
      result = imports.importDevices(Authentication.principal(ctx), parsed.rows(), parsed.errors());
    } else if (contentType.startsWith("application/json") || contentType.isEmpty()) {
      result = imports.importDevices(Authentication.principal(ctx), jsonRows(Bodies.json(ctx,
          limits.maxBulkBodyBytes())), List.of());
    } else {
      throw new BadRequestException("send the devices as application/json (an array) or text/csv, not " + contentType);
    }
    Bodies.send(ctx, 201, Json.object().put("created", result.created()));
  }

  private static List<ObjectNode> jsonRows(JsonNode body) {
    JsonNode array = body.isObject() && body.has("devices") ? body.get("devices") : body;
    if (!array.isArray()) {
      throw new BadRequestException("the body must be a JSON array of devices, or an object with a 'devices' array");
    }
    List<ObjectNode> rows = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode row = array.get(i);
      if (!row.isObject()) {
        throw new ValidationException("[" + i + "]", "each device must be a JSON object");
      }
      rows.add((ObjectNode) row);
    }
    return rows;
  }

  private void get(Context ctx) {
    Bodies.sendVersioned(ctx, 200, EntityJson.device(devices.get(Authentication.principal(ctx), ctx.pathParam("id"))));
  }

  private void patch(Context ctx) {
    Device device = devices.patch(Authentication.principal(ctx), ctx.pathParam("id"),
        Bodies.object(ctx, limits.maxBodyBytes()), ETags.ifMatch(ctx));
    Bodies.sendVersioned(ctx, 200, EntityJson.device(device));
  }

  private void delete(Context ctx) {
    devices.delete(Authentication.principal(ctx), ctx.pathParam("id"), ETags.ifMatch(ctx),
        QueryParams.bool(ctx, "forgetId").orElse(false));
    ctx.status(204);
  }
}
